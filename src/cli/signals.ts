/**
 * Ctrl-C (SIGINT) and SIGTERM during `kms-bench run`. The first signal stops the run, which then writes what it
 * measured, marked incomplete, and exits 3. A signal often arrives more than once for one Ctrl-C: a terminal signals
 * the whole process group, so under `npx` the CLI hears it from the terminal and npm forwards it again; `timeout -s
 * INT` signals the child and then its group. Those copies come within milliseconds, and taking the second as "quit at
 * once" lost the report four times in five. So signals within {@link QUIT_GRACE_MS} of the first are the same
 * interrupt; only one after it quits at once (exit 3, without the report) — for a user who really wants out.
 *
 * The handlers stay installed until the process exits: with none, a late copy of the signal would kill the process by
 * Node's default action (status 130) while it writes its report. Once the outcome is settled (the report written), a
 * signal exits at once with that outcome's code.
 *
 * What the CLI cannot change: under `npx` on systems whose `/bin/sh` is dash (Debian, Ubuntu), npm runs the command
 * through `sh -c`, and dash, having seen the Ctrl-C itself, kills itself with SIGINT once kms-bench exits, however it
 * exits; npm reports the shell's death as 130. The report is written and kms-bench exited 3. Where the status matters
 * (CI), run `node_modules/.bin/kms-bench` directly, or set npm's `script-shell` to bash, which keeps the command's
 * status.
 */
import { EXIT } from './exit-codes.js';

/** After the first interrupt, further signals for this long are copies of it, not a request to quit at once. */
export const QUIT_GRACE_MS = 2_000;

/** The signals that stop a run. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** What the interrupt handler does; the defaults are the process's (tests inject their own). */
export interface InterruptOptions {
  /** Stops the run (aborts the engine); called once, on the first signal. */
  readonly onStop: () => void;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
  readonly write?: (text: string) => void;
  readonly exit?: (code: number) => void;
  readonly graceMs?: number;
}

/** Turns signals into a stop, a quit or nothing; see the module comment. */
export class InterruptHandler {
  readonly #options: InterruptOptions;
  readonly #graceMs: number;
  #firstAtMs: number | undefined;
  #settled: number | undefined;
  #toldCopies = false;

  constructor(options: InterruptOptions) {
    this.#options = options;
    this.#graceMs = options.graceMs ?? QUIT_GRACE_MS;
  }

  /** True once a signal has stopped the run. */
  get stopped(): boolean {
    return this.#firstAtMs !== undefined;
  }

  /** The run's outcome is decided and its report written: a later signal exits at once with `code`. */
  settle(code: number): void {
    this.#settled = code;
  }

  /** Handles one signal. */
  receive(signal: string): void {
    const now = this.#now();
    const first = this.#firstAtMs;
    if (first !== undefined && now - first < this.#graceMs) {
      // A copy of the signal that stopped the run (the process group, npm, `timeout`): ignored.
      if (!this.#toldCopies) this.#write(`kms-bench: ${signal} again within ${this.#graceMs / 1000} s: still stopping\n`);
      this.#toldCopies = true;
      return;
    }
    if (this.#settled !== undefined) return this.#exit(this.#settled);
    if (first !== undefined) {
      this.#write(`kms-bench: ${signal} again: quitting at once, without the report\n`);
      return this.#exit(EXIT.incomplete);
    }
    this.#firstAtMs = now;
    this.#write(
      `\nkms-bench: ${signal}: stopping — writing what was measured (Ctrl-C again after ${this.#graceMs / 1000} s quits at once, without the report)\n`,
    );
    this.#options.onStop();
  }

  #now(): number {
    return this.#options.now?.() ?? Number(process.hrtime.bigint() / 1_000_000n);
  }
  #write(text: string): void {
    (this.#options.write ?? ((t: string) => process.stderr.write(t)))(text);
  }
  #exit(code: number): void {
    (this.#options.exit ?? ((c: number) => process.exit(c)))(code);
  }
}

/**
 * Installs the handler for SIGINT and SIGTERM for the rest of the process's life (never removed: see the module
 * comment). Signal listeners do not keep the process alive.
 */
export function installInterruptHandler(options: InterruptOptions): InterruptHandler {
  const handler = new InterruptHandler(options);
  for (const signal of STOP_SIGNALS) process.on(signal, (name: string) => handler.receive(name));
  installed.add(handler);
  return handler;
}

const installed = new Set<InterruptHandler>();

/** The command is done with exit code `code`: a signal from now on exits at once with it (see the module comment). */
export function settleInterrupts(code: number): void {
  for (const handler of installed) handler.settle(code);
}
