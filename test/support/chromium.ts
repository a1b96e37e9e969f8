/**
 * The Chromium that browser tests drive: the headless build that the npm package `@sparticuz/chromium` ships inside
 * its tarball (a pinned devDependency, so `npm ci` brings it on any machine, with no download of its own and nothing
 * from apt). The package stores it brotli-compressed; `shippedChromium()` decompresses it into a temp directory of its
 * own, and `dispose()` removes that directory.
 *
 * Not the package's `executablePath()`: that inflates into fixed names directly under the OS temp directory
 * (`/tmp/chromium`, …) and leaves them there, shared by concurrent runs. The binary needs only libraries a Debian
 * machine has when new (libnss3, libnspr4, libexpat1, libstdc++6) and fontconfig's fonts.
 *
 * Launch it with `env`: its TMPDIR is the browser's own directory, so what Chromium leaves in TMPDIR goes with it; and
 * under `LANG=C.UTF-8` (or no LANG) this build reports `navigator.language` as the invalid tag `en-US@posix`, and
 * uPlot's `new Intl.NumberFormat(navigator.language)` then throws while the page loads.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

export interface ShippedChromium {
  readonly executablePath: string;
  /** The environment to launch it with: this process's, with a valid locale in LANG. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Removes the decompressed browser; close the browser first. */
  dispose(): Promise<void>;
}

/**
 * The package's compressed binary: `bin/chromium.br` beside its `build/` (the package exports no other path). An internal
 * layout, safe only because package.json pins the exact version.
 */
function compressedBinary(): string {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  return join(dirname(entry), '..', '..', 'bin', 'chromium.br');
}

export async function shippedChromium(): Promise<ShippedChromium> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`@sparticuz/chromium ships a Linux x64 Chromium; this machine is ${process.platform}/${process.arch}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'kms-bench-chromium-'));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const executablePath = join(dir, 'chromium');
    await pipeline(createReadStream(compressedBinary()), createBrotliDecompress(), createWriteStream(executablePath, { mode: 0o755 }));
    // TMPDIR inside the same directory: Chromium makes `.org.chromium.Chromium.*` entries there and does not always
    // remove them on close; dispose() removes them with the browser.
    return { executablePath, env: { ...process.env, LANG: 'en_US.UTF-8', TMPDIR: dir }, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
