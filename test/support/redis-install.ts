/**
 * Vitest globalSetup: installs `redis-server` once for the whole run, before any test file starts. Several test files
 * start their own servers (redis-server.ts); were each to install a missing binary itself, their `apt-get` runs would
 * race for dpkg's lock and could outlast a hook's timeout. Here one install runs, waiting up to 300 s for a lock some
 * other program holds. Without root nothing is installed: the files that need the binary fail saying what to install.
 */
import { spawnSync } from 'node:child_process';
import { findRedisServer } from './redis-server.js';

export default function setup(): void {
  if (findRedisServer() !== undefined || process.getuid?.() !== 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  for (const args of [[...lock, 'update'], [...lock, 'install', '-y', '--no-install-recommends', 'redis-server']]) {
    const done = spawnSync('apt-get', args, { env, stdio: 'inherit' });
    if (done.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${done.status}); install redis-server by hand`);
  }
  if (findRedisServer() === undefined) throw new Error('apt-get installed redis-server, but no redis-server binary was found on PATH');
}
