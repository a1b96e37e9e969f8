/** Writes a run's report directory: result.json, summary.md, report.html and the requested CI formats. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadChartLibrary } from './chart-library.js';
import { ciFiles } from './ci-formats.js';
import type { CiFormat } from './ci-formats.js';
import { renderHtmlReport } from './html.js';
import { renderMarkdownSummary } from './markdown.js';
import { resultToJson } from './result.js';
import type { RunResult } from './result.js';

export interface WriteReportOptions {
  /** CI formats to write besides the standard files. */
  readonly formats?: readonly CiFormat[];
}

/** The files written, by role (paths include the directory). */
export interface WrittenReport {
  readonly result: string;
  readonly summary: string;
  readonly html: string;
  readonly ci: string[];
}

/** Writes the report directory (created when missing) and returns the paths written. */
export async function writeReport(dir: string, result: RunResult, options: WriteReportOptions = {}): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const written: WrittenReport = {
    result: join(dir, 'result.json'),
    summary: join(dir, 'summary.md'),
    html: join(dir, 'report.html'),
    ci: [],
  };
  // result.json first: whatever fails later, the measurements are on disk.
  await writeFile(written.result, resultToJson(result));
  await writeFile(written.summary, renderMarkdownSummary(result));
  await writeFile(written.html, renderHtmlReport(result, await loadChartLibrary()));
  for (const file of ciFiles(result, options.formats ?? [])) {
    const path = join(dir, file.name);
    await writeFile(path, `${JSON.stringify(file.content, null, 2)}\n`);
    written.ci.push(path);
  }
  return written;
}
