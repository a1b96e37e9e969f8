/**
 * A real `redis-server` for the tests, on a free loopback port, never the system's service on 6379. The binary comes
 * from PATH (or /usr/sbin, /usr/bin), installed once per test run by the globalSetup redis-install.ts; when it is still
 * missing the tests fail saying what to install. The server keeps nothing on disk (`--save "" --appendonly no`), runs
 * in the foreground as a child of the test, and `stop()` kills it; so does the test process's exit, so a file that
 * fails before its `afterAll` leaves no server behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { join } from 'node:path';

const SEARCH_DIRS = [...(process.env['PATH'] ?? '').split(':').filter((dir) => dir !== ''), '/usr/sbin', '/usr/bin'];

/** The redis-server binary on PATH (or /usr/sbin, /usr/bin), if any. */
export function findRedisServer(): string | undefined {
  return SEARCH_DIRS.map((dir) => join(dir, 'redis-server')).find((file) => existsSync(file));
}

/** The redis-server binary the globalSetup made sure of; a clear error when it could not (not root, no apt-get). */
export function redisServerBinary(): string {
  const found = findRedisServer();
  if (found !== undefined) return found;
  throw new Error('these tests need redis-server, which is not installed: run `sudo apt-get install -y redis-server` (Debian/Ubuntu), or put a redis-server on PATH');
}

/** A port no one listens on now, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends PING and resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.on('error', () => undefined);
  });
}

/** A running test server. */
export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>/0` plus `query` (e.g. `?lease=1`). */
  url(query?: string): string;
  /** Kills the server and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`), waiting for PING. */
  restart(): Promise<void>;
}

/** Starts a server on `port`, waiting for PING; the test process's exit kills it however the test ends. */
async function launch(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  // Dropped once the server is gone, so restarts do not pile up exit listeners.
  child.once('exit', () => process.off('exit', kill));
  let stderr = '';
  child.stderr?.on('data', (data) => (stderr += String(data)));
  // Polled without a clock: up to 200 PINGs, each bounded by its socket timeout.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) before answering: ${stderr}`);
    if (await ping(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} never answered PING: ${stderr}`);
}

/**
 * Starts a server on a free port, trying other ports when it fails: between `freePort` closing its probe and the
 * server binding, another process (a parallel test file) can take the port.
 */
async function launchOnFreePort(binary: string): Promise<{ child: ChildProcess; port: number }> {
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return { child: await launch(binary, port), port };
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a redis-server on a free loopback port. */
export async function startRedis(): Promise<TestRedis> {
  const binary = redisServerBinary();
  const started = await launchOnFreePort(binary);
  const port = started.port;
  let child: ChildProcess | undefined = started.child;
  return {
    port,
    url: (query = '') => `redis://127.0.0.1:${port}/0${query}`,
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined) return;
      running.kill('SIGKILL');
      await exited(running);
    },
    async restart() {
      if (child !== undefined) return;
      child = await launch(binary, port);
    },
  };
}
