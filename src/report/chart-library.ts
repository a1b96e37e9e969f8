/**
 * The charting library report.html inlines: uPlot (MIT, ~50 kB minified), read from node_modules when a report is
 * written, so the page needs no network and works from a file, an artifact store or an air-gapped machine.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The library's script and stylesheet, as text to inline. */
export interface ChartLibrary {
  readonly name: string;
  readonly version: string;
  readonly script: string;
  readonly css: string;
}

let cached: Promise<ChartLibrary> | undefined;

/**
 * Reads uPlot's IIFE build (which defines the global `uPlot`) and its stylesheet from the installed package.
 * @throws Error when the package is not installed.
 */
export function loadChartLibrary(): Promise<ChartLibrary> {
  cached ??= (async () => {
    const packageJson = require.resolve('uplot/package.json');
    const root = dirname(packageJson);
    const [manifest, script, css] = await Promise.all([
      readFile(packageJson, 'utf8'),
      readFile(join(root, 'dist', 'uPlot.iife.min.js'), 'utf8'),
      readFile(join(root, 'dist', 'uPlot.min.css'), 'utf8'),
    ]);
    return { name: 'uPlot', version: (JSON.parse(manifest) as { version: string }).version, script, css };
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
