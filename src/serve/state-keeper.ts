/**
 * Keeps a `--state DIR` up to date: holds the directory's lock (one server per directory: two would overwrite each
 * other's keys), and writes the model's state after each request that changed it — debounced, so a burst of
 * CreateKey/TagResource calls costs one write — and once more on shutdown.
 *
 * Why debounced and not per request: a write is a full snapshot plus two fsyncs (milliseconds), and management calls
 * come in bursts; a crash loses at most the last `debounceMs` of changes, a clean shutdown (SIGTERM/SIGINT) nothing.
 */
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelSnapshot } from '../kms/state-snapshot.js';
import { readStateFile, StateFileError, writeStateFile } from './state-file.js';

/** The lock file's name: it holds the pid of the server using the directory, and its start time where /proc has it. */
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

/**
 * A process's start time (clock ticks since boot, /proc/<pid>/stat field 22), or `undefined` where there is no /proc.
 * With the pid it names one process: a pid alone is reused, and a restarted container usually gets the same one.
 */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses; field 3 is the first.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The pid the lock file's `pid [start time]` names when that process still runs and is not this one, else `undefined`. */
function lockHeld(text: string): number | undefined {
  const [pidText, started] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !processAlive(pid)) return undefined;
  if (started !== undefined) {
    const now = processStartTime(pid);
    if (now !== undefined && now !== started) return undefined;
  }
  return pid;
}

/** Takes the directory's lock, replacing a lock left by a process that no longer runs. */
function takeLock(dir: string): string {
  const path = join(dir, STATE_LOCK_NAME);
  const started = processStartTime(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, started === undefined ? String(process.pid) : `${process.pid} ${started}`);
      closeSync(fd);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateFileError(`cannot lock ${dir}: ${(error as Error).message}`);
      const pid = lockHeld(readFileSync(path, 'utf8'));
      if (pid !== undefined) {
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
    // mkdir's mode applies only to a directory it creates; one the user made (0755) would expose the keys' material.
    try {
      chmodSync(absolute, 0o700);
    } catch (error) {
      throw new StateFileError(`cannot make state directory ${absolute} private (mode 0700): ${(error as Error).message}`);
    }
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

  /** Releases the lock without writing (a start that failed leaves the state file as it was). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      unlinkSync(this.#lock);
    } catch {
      // Already gone: nothing to release.
    }
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
