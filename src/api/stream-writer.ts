/**
 * `--stream FILE`: one line per second per fleet, written as the run goes, so a user can `tail -f` it. NDJSON
 * (`.ndjson`, `.jsonl`) or CSV (`.csv`), chosen by the file's extension. On the wall clock lines come as each second
 * ends on every worker (a second or so behind); on the virtual clock, where simulated seconds go by far faster than
 * anyone reads, each variant's lines are written in order when its simulations finish. The last line of each
 * (variant, fleet) is the drain after the scheduled end (`drain: true`), so the lines add up to the result's totals.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import type { StreamRow } from './run-events.js';

/** The formats, by file extension. */
const FORMATS: Readonly<Record<string, 'ndjson' | 'csv'>> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' };

const COLUMNS = [
  'variant',
  'second',
  'drain',
  'fleet',
  'offered',
  'succeeded',
  'goodputPerSec',
  'attempts',
  'admitted',
  'throttled',
  'throttleRate',
  'errors',
  'retries',
] as const;

/** The stream format of `path`, or a message naming the extensions understood. */
export function streamFormat(path: string): { ok: true; format: 'ndjson' | 'csv' } | { ok: false; message: string } {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format !== undefined) return { ok: true, format };
  return { ok: false, message: `${path}: the stream's format comes from its extension: .ndjson, .jsonl or .csv` };
}

/** A row's values in column order. */
function values(row: StreamRow): (string | number | boolean | null)[] {
  const attempts = row.admitted + row.throttled + row.errors;
  const record: Record<(typeof COLUMNS)[number], string | number | boolean | null> = {
    variant: row.variant,
    second: row.second,
    drain: row.drain,
    fleet: row.fleet,
    offered: row.offered,
    succeeded: row.succeeded,
    // The drain is not a whole second: its count is no rate.
    goodputPerSec: row.drain ? null : row.succeeded,
    attempts,
    admitted: row.admitted,
    throttled: row.throttled,
    throttleRate: attempts > 0 ? row.throttled / attempts : null,
    errors: row.errors,
    retries: row.retries,
  };
  return COLUMNS.map((column) => record[column]);
}

const csvCell = (value: string | number | boolean | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Writes stream lines to a file opened (and truncated) at once, so a bad path is refused before the run. */
export class StreamWriter {
  readonly path: string;
  readonly #format: 'ndjson' | 'csv';
  #fd: number | undefined;

  /** @throws Error when the file cannot be created, with the system's reason. */
  constructor(path: string, format: 'ndjson' | 'csv') {
    this.path = path;
    this.#format = format;
    this.#fd = openSync(path, 'w');
    if (format === 'csv') writeSync(this.#fd, `${COLUMNS.join(',')}\n`);
  }

  /** Appends rows, one line each, in one write (a reader never sees half a batch of seconds). */
  write(rows: readonly StreamRow[]): void {
    if (this.#fd === undefined || rows.length === 0) return;
    const lines = rows.map((row) => {
      if (this.#format === 'csv') return values(row).map(csvCell).join(',');
      const cells = values(row);
      return JSON.stringify(Object.fromEntries(COLUMNS.map((column, i) => [column, cells[i]])));
    });
    writeSync(this.#fd, `${lines.join('\n')}\n`);
  }

  /** Closes the file; later writes are ignored. */
  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
