/**
 * Writing the report at the end of a run without losing it. The directory was checked before the run, but a disk can
 * fill or a directory vanish in the meantime; then the report goes to a fresh directory in the OS temp dir instead,
 * and the caller prints the table anyway and says where the files are (exit 3: the run's output is not where it was
 * asked to be).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CiFormat } from '../report/ci-formats.js';
import type { RunResult } from '../report/result.js';
import { writeReport, type WrittenReport } from '../report/write-report.js';

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
  /** Set when the report directory could not be written: the stderr lines saying what failed and where it went. */
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
    return { written: await writeReport(outDir, result, { formats: options.formats }), notice: undefined };
  } catch (error) {
    const failed = `kms-bench: could not write the report to ${outDir}: ${reason(error)}`;
    try {
      const rescueDir = await mkdtemp(join(options.rescueRoot ?? tmpdir(), `kms-bench-rescue-${stamp(options.now ?? new Date())}-`));
      const written = await writeReport(rescueDir, result, { formats: options.formats });
      return { written, notice: `${failed}\nkms-bench: the report was written to ${rescueDir} instead\n` };
    } catch (rescueError) {
      return {
        written: undefined,
        notice: `${failed}\nkms-bench: writing it to the temp dir failed too (${reason(rescueError)}); only what was printed above is left\n`,
      };
    }
  }
}
