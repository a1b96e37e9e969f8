/**
 * Writing a run's report directory: result.json, summary.md, report.html and CI files. {@link runScenario} writes it
 * without losing it: the directory was checked before the run, but a disk can fill or a directory vanish in the
 * meantime; then the report goes to a fresh directory in the OS temp dir instead, and the caller is told where
 * (`kms-bench run` prints the table anyway and exits 3: the output is not where it was asked to be).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CiFormat } from '../report/ci-formats.js';
import type { RunResult } from '../report/result-types.js';
import type { WrittenReport } from '../report/write-report.js';

/** Options of {@link writeReports}. */
export interface WriteReportsOptions {
  /** CI benchmark files to write besides the standard three: `gab` (github-action-benchmark), `bmf` (Bencher). */
  readonly formats?: readonly CiFormat[];
}

/**
 * Writes a result's report directory (created when missing): `result.json` first, so the measurements are on disk
 * whatever fails later, then `summary.md`, the self-contained `report.html` and the requested CI files.
 *
 * @returns the paths written, by role.
 * @throws the file system's error when a file cannot be written.
 */
export async function writeReports(result: RunResult, dir: string, options: WriteReportsOptions = {}): Promise<WrittenReport> {
  // The HTML report reads its chart library from disk: loaded when a report is written, not by `import 'kms-bench'`.
  const { writeReport } = await import('../report/write-report.js');
  return writeReport(dir, result, { formats: options.formats ?? [] });
}

/** Options of {@link writeReportOrRescue}. */
export interface RescueOptions {
  readonly formats: readonly CiFormat[];
  /** Where a rescue directory is made; the OS temp dir unless a test says otherwise. */
  readonly rescueRoot?: string;
  /** The time in the rescue directory's name. */
  readonly now?: Date;
}

/** Where the report went, and what to tell the user when it is not where it was asked to be. */
export interface ReportOutcome {
  /** The files written: in the report directory, or in the rescue directory; undefined when both failed. */
  readonly written: WrittenReport | undefined;
  /** Set when the report directory could not be written: the lines saying what failed and where the report went. */
  readonly notice: string | undefined;
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `20260104T120000Z`, sortable and safe in a file name. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Writes the report to `outDir`; when that fails, to a new `kms-bench-rescue-<timestamp>-XXXXXX/` directory under the
 * OS temp dir. Never throws: a failure to write is reported in {@link ReportOutcome.notice}.
 */
export async function writeReportOrRescue(outDir: string, result: RunResult, options: RescueOptions): Promise<ReportOutcome> {
  try {
    return { written: await writeReports(result, outDir, { formats: options.formats }), notice: undefined };
  } catch (error) {
    const failed = `kms-bench: could not write the report to ${outDir}: ${reason(error)}`;
    try {
      const rescueDir = await mkdtemp(join(options.rescueRoot ?? tmpdir(), `kms-bench-rescue-${stamp(options.now ?? new Date())}-`));
      const written = await writeReports(result, rescueDir, { formats: options.formats });
      return { written, notice: `${failed}\nkms-bench: the report was written to ${rescueDir} instead\n` };
    } catch (rescueError) {
      return {
        written: undefined,
        notice: `${failed}\nkms-bench: writing it to the temp dir failed too (${reason(rescueError)}); only what was printed above is left\n`,
      };
    }
  }
}
