/**
 * `kms-bench serve` as a child process on a free port (`--port 0`): started from the built CLI, ready once it prints
 * its machine-readable listening line, stopped with a signal. Every process a test starts is killed after the test
 * if it is still running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { CLI } from './cli.js';

/** A running endpoint. */
export interface ServeProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit. */
  stop(signal?: NodeJS.Signals): Promise<ServeExit>;
  /** Resolves with the exit, whenever it comes. */
  readonly exited: Promise<ServeExit>;
}

export interface ServeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const LISTENING = /kms-bench serve: listening url=(\S+) port=(\d+)/;

/** Registers the clean-up hook; call once at the top of a test file. Returns the starter. */
export function serveProcesses(): (args: readonly string[]) => Promise<ServeProcess> {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return (args) => startServe(args, started);
}

/** Runs `serve` with `args` to its exit (for refusals: it should never listen). */
export function serveUntilExit(args: readonly string[]): Promise<ServeExit> {
  return startServeChild(args, []).exited;
}

function startServeChild(args: readonly string[], started: ChildProcess[]): { child: ChildProcess; exited: Promise<ServeExit>; out: { stdout: string; stderr: string } } {
  const port = args.includes('--port') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [CLI, 'serve', ...port, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  started.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const exited = new Promise<ServeExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out.stdout, stderr: out.stderr }));
  });
  return { child, exited, out };
}

function startServe(args: readonly string[], started: ChildProcess[]): Promise<ServeProcess> {
  const { child, exited, out } = startServeChild(args, started);
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const match = LISTENING.exec(out.stdout);
      if (match === null) return;
      child.stdout?.off('data', onData);
      resolve({
        url: match[1] as string,
        port: Number(match[2]),
        child,
        stdout: () => out.stdout,
        stderr: () => out.stderr,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
        exited,
      });
    };
    child.stdout?.on('data', onData);
    void exited.then((exit) => reject(new Error(`serve exited (code ${exit.code}) before listening:\n${exit.stderr}`)));
  });
}
