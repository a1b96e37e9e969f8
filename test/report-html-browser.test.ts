/**
 * report.html in a real browser: a short real run of the engine (two variants on one tight quota), its report opened
 * from disk in headless Chromium through playwright-core. The page must load with no console error and no network
 * request, draw every chart with data, and leave a screenshot in reports/test-screenshots/ to look at.
 *
 * The browser is the one the devDependency @sparticuz/chromium ships (test/support/chromium.ts), the same on every
 * machine and on CI; it needs the built worker too (`npm test` builds first).
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runVariants } from '../src/engine/run.js';
import type { VariantPlan } from '../src/engine/wire.js';
import { buildResult } from '../src/report/result.js';
import type { RunResult, VariantScenario } from '../src/report/result.js';
import { writeReport } from '../src/report/write-report.js';
import { shippedChromium } from './support/chromium.js';
import type { ShippedChromium } from './support/chromium.js';
import { REGION, smallPlan } from './support/small-plan.js';

const OUT = join(import.meta.dirname, '..', 'reports', 'test-screenshots');
const QUOTA = 40;

function plan(name: string, retry: VariantPlan['fleets'][number]['retry']): VariantPlan {
  return smallPlan({
    name,
    seed: 11,
    durationMs: 2000,
    quotas: { profile: 'kms-current', overrides: { [REGION]: { symmetric: QUOTA } } },
    fleet: {
      workload: { model: 'open', arrivalRatePerSec: 2 * QUOTA },
      mix: [
        { op: 'Encrypt', weight: 1, key: 'app', payloadBytes: 64 },
        { op: 'Decrypt', weight: 1, key: 'app', payloadBytes: 64 },
      ],
      retry,
    },
  });
}

const SCENARIO: VariantScenario = {
  keys: [{ name: 'app', keySpec: 'SYMMETRIC_DEFAULT', state: 'Enabled' }],
  fleets: [
    {
      name: 'web',
      region: REGION,
      account: '111122223333',
      mix: [
        { op: 'Encrypt', weight: 1, key: 'app' },
        { op: 'Decrypt', weight: 1, key: 'app' },
      ],
    },
  ],
};

async function realResult(): Promise<RunResult> {
  const plans = [plan('retry=none', { policy: 'none', maxAttempts: 1 }), plan('retry=full-jitter', { policy: 'full-jitter', baseMs: 50, capMs: 400, maxAttempts: 4 })];
  const run = await runVariants(plans, { runId: 'engine-test', workers: 2 });
  return buildResult({
    scenario: { name: 'browser-check', hash: '0'.repeat(64), seed: 11, clock: 'wall', durationMs: 2000, document: { name: 'browser-check' } },
    variantValues: new Map([
      ['retry=none', { retry: 'none' }],
      ['retry=full-jitter', { retry: 'full-jitter' }],
    ]),
    // Each variant's fleet with the retry policy it ran, as the CLI records it from the validated scenario.
    variantScenarios: new Map(
      plans.map((p) => [p.name, { ...SCENARIO, fleets: SCENARIO.fleets.map((fleet) => ({ ...fleet, retry: p.fleets[0]?.retry })) }]),
    ),
    thresholds: { throttleRate: ['< 0.01'], 'latencyUs.p99': ['< 5000000'] },
    run,
    versions: { tool: '0.0.0-test', node: process.version, dependencies: {} },
    workers: 2,
    startedAt: new Date(),
    wallSeconds: 4,
  });
}

/** Per chart container: how many canvas pixels are clearly coloured (series), as opposed to grey axes and grid. */
const COLOURED_PIXELS = `Array.from(document.querySelectorAll('.chart')).map((el) => {
  const canvas = el.querySelector('canvas');
  const context = canvas && canvas.getContext('2d');
  if (!context) return { id: el.id, pixels: -1 };
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let pixels = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) pixels++;
  }
  return { id: el.id, pixels };
})`;

interface ChartEntry {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly series: number;
  readonly points: number;
}

describe('report.html in headless Chromium', () => {
  let chromiumBuild: ShippedChromium | undefined;
  let browser: Browser;
  let html: string;

  beforeAll(async () => {
    const result = await realResult();
    expect(result.state).toBe('completed');
    const written = await writeReport(join(OUT, 'report-html'), result);
    html = written.html;
    chromiumBuild = await shippedChromium();
    browser = await chromium.launch({
      executablePath: chromiumBuild.executablePath,
      env: chromiumBuild.env,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await chromiumBuild?.dispose();
  });

  test('renders every chart with data, with no console error and no network request', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(html).href);
    // Browser-side code is given as text: the test's TypeScript has no DOM types.
    await page.waitForFunction('Array.isArray(window.kmsBenchCharts)');
    const charts = (await page.evaluate('window.kmsBenchCharts')) as ChartEntry[];
    const containers = await page.locator('.chart').count();
    expect(containers).toBeGreaterThanOrEqual(5);
    expect(charts).toHaveLength(containers);
    expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['over-time', 'bucket-0-0', 'bucket-1-0', 'latency', 'retries', 'cost']));
    for (const chart of charts) {
      expect(chart.series, chart.id).toBeGreaterThanOrEqual(1);
      expect(chart.points, chart.id).toBeGreaterThan(0);
    }

    // Each canvas holds coloured pixels (series), not only the grey axes and grid.
    const coloured = (await page.evaluate(COLOURED_PIXELS)) as { id: string; pixels: number }[];
    expect(coloured).toHaveLength(containers);
    for (const { id, pixels } of coloured) expect(pixels, `coloured pixels in ${id}`).toBeGreaterThan(50);

    // Per-second charts plot the run's 2 whole seconds only, never the drain after the scheduled end as a third.
    const overTime = charts.find((c) => c.id === 'over-time');
    expect(overTime?.points).toBe((overTime?.series ?? 0) * 2);
    // Each fleet's retry policy is said in words.
    expect(await page.locator('section', { hasText: 'Fleets and retry policies' }).textContent()).toContain(
      'full-jitter, base 50 ms, cap 400 ms, up to 4 attempts',
    );

    // The bucket chart draws the quota line.
    const bucket = charts.find((c) => c.id === 'bucket-0-0');
    expect(bucket?.series).toBe(3);
    expect(await page.locator('#bucket-0-0').locator('xpath=..').textContent()).toContain(`quota ${QUOTA}/s`);
    // Thresholds are shown first, with ✓ and ✗.
    expect(await page.locator('section').first().textContent()).toContain('Thresholds');

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);

    await mkdir(OUT, { recursive: true });
    const screenshot = join(OUT, 'report-html.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    await page.close();
  });

  test('is self-contained: the library inlined, no external script, style or link', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    expect(text).not.toMatch(/<link[^>]+href=/i);
    expect(text).toContain("default-src 'none'");
    expect(text).toContain('uPlot');
  });
});
