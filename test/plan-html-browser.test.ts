/**
 * plan.html in a real browser (the Chromium of test/support/chromium.ts): a small real max-rate plan and a small cache
 * plan, written and opened from disk. The page must show the answer first, draw each curve with its points, the
 * objective line and the answer's marker at the answer's value, ring the Pareto front of a cache plan, and make no
 * network request and no console error. A screenshot is left in reports/test-screenshots/ to look at.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPlan } from '../src/plan/run-plan.js';
import { writePlan } from '../src/plan/write-plan.js';
import type { PlanResult } from '../src/plan/plan-types.js';
import { shippedChromium, type ShippedChromium } from './support/chromium.js';
import { poissonScenario } from './support/plan-scenarios.js';
import { tempDirs } from './support/temp-dirs.js';

const OUT = join(import.meta.dirname, '..', 'reports', 'test-screenshots');
const tempDir = tempDirs('kms-bench-plan-html-');

const CACHE_SCENARIO = poissonScenario({ rate: 40, quota: 20, duration: '4s', name: 'cache-html', plan: 'plan: { cache: { maxMessagesPerKey: 5, maxKeyAge: 1s } }' })
  .replace('mix: [{ op: Encrypt, key: app, payloadBytes: 64 }]', 'mix: [{ op: envelopeEncrypt, key: app, payloadBytes: 64 }]\n    cache: { maxMessagesEncrypted: 2 }');

async function open(browser: Browser, plan: PlanResult, problems: string[], requests: string[]): Promise<Page> {
  const files = await writePlan(plan, await tempDir());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await page.goto(pathToFileURL(files.html).href);
  return page;
}

describe('plan.html in headless Chromium', () => {
  let chromiumBuild: ShippedChromium | undefined;
  let browser: Browser;
  let rate: PlanResult;
  let cache: PlanResult;

  beforeAll(async () => {
    [rate, cache] = await Promise.all([
      runPlan(
        { text: poissonScenario({ rate: 50, quota: 100, duration: '20s', plan: 'plan: { rate: { min: 40, max: 160 } }' }), name: 'rate.yaml' },
        { goal: 'max-rate', fleet: 'web', objectives: ['throttleRate < 0.02', 'latencyUs.p99 < 50ms'], tolerance: 0.05, workers: 2 },
      ),
      runPlan({ text: CACHE_SCENARIO, name: 'cache.yaml' }, { goal: 'cache', fleet: 'web', objectives: ['throttleRate < 0.01'], workers: 2 }),
    ]);
    chromiumBuild = await shippedChromium();
    browser = await chromium.launch({
      executablePath: chromiumBuild.executablePath,
      env: chromiumBuild.env,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await chromiumBuild?.dispose();
  });

  test('a max-rate plan: the answer first, three curves with the objective line and the answer marked', async () => {
    expect(rate.outcome).toBe('found');
    const problems: string[] = [];
    const requests: string[] = [];
    const page = await open(browser, rate, problems, requests);
    expect(await page.locator('main > *').nth(1).getAttribute('id')).toBe('answer');
    expect(await page.locator('#answer').textContent()).toBe(rate.answer?.sentence);
    for (const id of ['chart-goodput', 'chart-throttle', 'chart-latency']) {
      const chart = page.locator(`#${id} svg`);
      expect((await chart.boundingBox())?.width, id).toBeGreaterThan(300);
      expect(await chart.locator('circle').count(), id).toBeGreaterThanOrEqual(rate.probes.length);
      expect(await chart.locator('.rule-x').getAttribute('data-value'), id).toBe(String(rate.answer?.value));
    }
    // The objectives' lines sit at their bounds, in the chart's units (% and ms).
    expect(await page.locator('#chart-throttle .rule-y').getAttribute('data-value')).toBe('2');
    expect(await page.locator('#chart-latency .rule-y').getAttribute('data-value')).toBe('50');
    expect(await page.locator('#probes tbody tr').count()).toBe(rate.probes.length);
    expect(await page.locator('#probes tr.answer-row').count()).toBe(1);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await mkdir(OUT, { recursive: true });
    const screenshot = join(OUT, 'plan-html.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    await page.close();
  });

  test('a cache plan: the Pareto front ringed, every probe a point', async () => {
    expect(cache.outcome).toBe('found');
    const problems: string[] = [];
    const requests: string[] = [];
    const page = await open(browser, cache, problems, requests);
    expect(await page.locator('#answer').textContent()).toBe(cache.answer?.sentence);
    const chart = page.locator('#chart-pareto svg');
    expect(await chart.locator('circle:not(.highlight)').count()).toBe(cache.probes.length);
    expect(await chart.locator('circle.highlight').count()).toBe(cache.paretoValues?.length);
    expect(await chart.locator('.rule-x').count()).toBe(1);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
