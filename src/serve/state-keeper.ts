/**
 * Keeps a `--state DIR` up to date: holds the directory's lock (one server per directory: two would overwrite each
 * other's keys), and writes the model's state after each request that changed it — debounced, so a burst of
 * CreateKey/TagResource calls costs one write — and once more on shutdown.
 *
 * Why debounced and not per request: a write is a full snapshot plus two fsyncs (milliseconds), and management calls
 * come in bursts; a crash loses at most the last `debounceMs` of changes, a clean shutdown (SIGTERM/SIGINT) nothing.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelSnapshot } from '../kms/state-snapshot.js';
import { readStateFile, StateFileError, writeStateFile } from './state-file.js';

/** The lock file's name: it holds the pid of the server using the directory. */
export const STATE_LOCK_NAME = 'kms-state.lock';
/** Default delay between a state change and its write. */
export const DEFAULT_STATE_DEBOUNCE_MS = 200;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the directory's lock, replacing a lock left by a process that no longer runs. */
function takeLock(dir: string): string {
  const path = join(dir, STATE_LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateFileError(`cannot lock ${dir}: ${(error as Error).message}`);
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new StateFileError(`state directory ${dir} is in use by another kms-bench serve (pid ${pid}); stop it or use another --state`);
      }
      unlinkSync(path);
    }
  }
  throw new StateFileError(`cannot lock ${dir}: another process keeps taking the lock`);
}

/** A locked state directory and its debounced writer. */
export class StateKeeper {
  readonly dir: string;
  readonly #lock: string;
  readonly #snapshot: () => ModelSnapshot;
  readonly #debounceMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #released = false;
  #writes = 0;

  private constructor(dir: string, lock: string, snapshot: () => ModelSnapshot, debounceMs: number, onError: (error: unknown) => void) {
    this.dir = dir;
    this.#lock = lock;
    this.#snapshot = snapshot;
    this.#debounceMs = debounceMs;
    this.#onError = onError;
  }

  /**
   * Creates (mode 0700) and locks `dir`, and reads its state if it has any. `snapshot` is called for each write.
   * @throws StateFileError when the directory cannot be used or its state file is unreadable, damaged or of another version.
   */
  static open(
    dir: string,
    snapshot: () => ModelSnapshot,
    options: { readonly debounceMs?: number; readonly onError?: (error: unknown) => void } = {},
  ): { readonly keeper: StateKeeper; readonly loaded: ModelSnapshot | undefined } {
    const absolute = resolve(dir);
    try {
      mkdirSync(absolute, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StateFileError(`cannot create state directory ${absolute}: ${(error as Error).message}`);
    }
    if (!statSync(absolute).isDirectory()) throw new StateFileError(`${absolute} is not a directory`);
    const lock = takeLock(absolute);
    try {
      const loaded = readStateFile(absolute);
      const keeper = new StateKeeper(absolute, lock, snapshot, options.debounceMs ?? DEFAULT_STATE_DEBOUNCE_MS, options.onError ?? (() => undefined));
      return { keeper, loaded };
    } catch (error) {
      unlinkSync(lock);
      throw error;
    }
  }

  /** How many times the state was written. */
  get writes(): number {
    return this.#writes;
  }

  /** The state changed: write it within `debounceMs`. */
  changed(): void {
    if (this.#released || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      try {
        this.#write();
      } catch (error) {
        // Kept running: the next change (or the shutdown) tries again; the shutdown's failure is fatal.
        this.#onError(error);
      }
    }, this.#debounceMs);
  }

  /** Writes now (and cancels a pending debounced write). Throws when the write fails. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#write();
  }

  /** Writes a last time and releases the lock. */
  close(): void {
    if (this.#released) return;
    try {
      this.flush();
    } finally {
      this.#released = true;
      try {
        unlinkSync(this.#lock);
      } catch {
        // Already gone: nothing to release.
      }
    }
  }

  #write(): void {
    writeStateFile(this.dir, this.#snapshot());
    this.#writes++;
  }
}
