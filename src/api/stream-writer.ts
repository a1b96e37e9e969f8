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
  'denied',
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
    denied: row.denied,
  };
  return COLUMNS.map((column) => record[column]);
}

const csvCell = (value: string | number | boolean | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * Writes stream lines to a file opened (and truncated) at once, so a bad path is refused before the run. A write that
 * fails later (disk full, the file's directory removed) never reaches the run: the writer stops streaming, closes the
 * file and says why once through `onError`; the run and its report go on.
 */
export class StreamWriter {
  readonly path: string;
  readonly #format: 'ndjson' | 'csv';
  readonly #onError: (message: string) => void;
  #fd: number | undefined;
  /** Why streaming stopped, once a write failed. */
  #failure: string | undefined;

  /** @throws Error when the file cannot be created, with the system's reason. */
  constructor(path: string, format: 'ndjson' | 'csv', onError: (message: string) => void = () => undefined) {
    this.path = path;
    this.#format = format;
    this.#onError = onError;
    const fd = openSync(path, 'w');
    try {
      if (format === 'csv') writeSync(fd, `${COLUMNS.join(',')}\n`);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.#fd = fd;
  }

  /** Why streaming stopped (a write failed), or undefined while it goes on. */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** Appends rows, one line each, in one write (a reader never sees half a batch of seconds). Never throws. */
  write(rows: readonly StreamRow[]): void {
    if (this.#fd === undefined || rows.length === 0) return;
    const lines = rows.map((row) => {
      if (this.#format === 'csv') return values(row).map(csvCell).join(',');
      const cells = values(row);
      return JSON.stringify(Object.fromEntries(COLUMNS.map((column, i) => [column, cells[i]])));
    });
    this.#append(`${lines.join('\n')}\n`);
  }

  /** Closes the file; later writes are ignored. Never throws. */
  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Nothing more can be lost: a failed write has already been reported, and the run does not depend on the file.
    }
  }

  #append(text: string): void {
    if (this.#fd === undefined) return;
    try {
      writeSync(this.#fd, text);
    } catch (error) {
      this.#failure = `${this.path}: writing failed (${error instanceof Error ? error.message : String(error)}); the stream stops here, the run goes on`;
      this.close();
      this.#onError(this.#failure);
    }
  }
}
