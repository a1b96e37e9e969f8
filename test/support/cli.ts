/**
 * The CLI as a user runs it: the built `dist/src/cli/main.js` (which `npm test` builds first) in a child process,
 * its output collected, and a hard kill after a timeout so a hang fails the test instead of stalling the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI entry point. */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

/** How a CLI run ended. `signal` is set when it was killed (the timeout, or a signal it did not handle). */
export interface CliExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface CliOptions {
  /** Node.js options before the script (e.g. a heap limit). */
  readonly nodeOptions?: readonly string[];
  /** Environment variables added to (or, when undefined, removed from) the test's own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** SIGKILL after this long (default 120 s): a hang is a failure, not a stalled run. */
  readonly timeoutMs?: number;
  /** Called with all of stderr so far each time more arrives (e.g. to interrupt the run at a given line). */
  readonly onStderr?: (stderr: string, child: ChildProcess) => void;
}

/** Runs the CLI with `args` and resolves when it exits. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeOptions ?? []), CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 120_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
