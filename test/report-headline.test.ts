/**
 * The headline says what a run found, first, in a sentence or two, and quotes only figures the run supports. Each
 * shipped scenario is simulated on the virtual clock in this thread (as scenario-claims.test.ts does), built into a
 * result by the real `buildResult`, and its headline checked against that result's own numbers: the variant or fleet
 * it names is the right one, and every figure it quotes reads back to the result's value at the precision printed.
 */
import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from '../src/scenario/loader.js';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { mergeMetrics, summarize, type CacheSummary } from '../src/metrics/index.js';
import { latencyText, percentText } from '../src/report/headline-figures.js';
import { headline } from '../src/report/headline.js';
import { buildResult, type RunResult, type VariantResult } from '../src/report/result.js';
import { formatUsd } from '../src/report/text.js';
import { expandMatrix } from '../src/scenario/index.js';
import { simpleScenario, slot, syntheticResult, twoFleetScenario, type SyntheticOp } from './support/report-fixture.js';

/** Runs every variant of a shipped scenario on the virtual clock, in this thread, into a result as the CLI builds it. */
async function shippedResult(file: string, sets: readonly string[] = []): Promise<RunResult> {
  const scenario = await loadScenarioFile(`scenarios/${file}`, { sets: ['clock=virtual', ...sets] });
  const variants = expandMatrix(scenario);
  const runs = [];
  for (const variant of variants) {
    const plan = planVariant(variant.name, variant.scenario);
    const simulated = await simulateVariant({ plan, crypto: variant.scenario.model.crypto });
    const metrics = summarize(mergeMetrics([simulated.metrics]), { durationSec: plan.durationMs / 1000 });
    runs.push({
      clock: 'virtual' as const,
      name: variant.name,
      state: 'completed' as const,
      wallSeconds: simulated.wallSeconds,
      metrics,
      quota: simulated.quota,
      simulatedSeconds: simulated.simulatedSeconds,
      crypto: simulated.crypto,
    });
  }
  return buildResult({
    scenario: { name: scenario.name, hash: 'h', seed: scenario.seed, clock: scenario.clock, durationMs: scenario.durationMs, document: scenario.document },
    variantValues: new Map(variants.map((v) => [v.name, v.values])),
    variantScenarios: new Map(variants.map((v) => [v.name, v.scenario])),
    run: { state: 'completed', variants: runs },
    versions: { tool: 'test', node: process.version, dependencies: {} },
    workers: 1,
    startedAt: new Date(0),
    wallSeconds: 1,
  });
}

/** The figure a pattern's first group captures, as a number (`27,746` → 27746). */
function figure(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (match?.[1] === undefined) throw new Error(`${String(pattern)} not in: ${text}`);
  return Number(match[1].replace(/,/g, ''));
}

/** A quoted figure agrees with the result's value to the precision it was printed at. */
function expectQuoted(quoted: number, actual: number, decimals: number): void {
  expect(Math.abs(quoted - actual)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
}

function byName(result: RunResult, name: string): VariantResult {
  const found = result.variants.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
}

describe('headline of each shipped scenario, checked against its own result', () => {
  test('default: names the throttled fleet, the full quota, goodput against demand, throttles and failures', async () => {
    const result = await shippedResult('default.yaml');
    const text = headline(result).join(' ');
    const total = result.variants[0]?.metrics.total;
    if (total === undefined) throw new Error('no variant');
    expect(text).toMatch(/^web is throttled: the us-east-1 symmetric quota \(200\/s\) holds goodput to /);
    expectQuoted(figure(text, /goodput to ([\d,]+)\/s/), total.goodputPerSec, 0);
    expectQuoted(figure(text, /against ([\d,]+)\/s offered/), total.offeredPerSec, 0);
    expectQuoted(figure(text, /(\d+)% of calls throttle/), total.throttleRate * 100, 0);
    expectQuoted(figure(text, /(\d+)% of operations fail after retries/), (total.failedTotal / total.completed) * 100, 0);
  });

  test('backoff-comparison: the policy with the fewest failures, the worst one, and the latency each paid', async () => {
    const result = await shippedResult('backoff-comparison.yaml');
    const text = headline(result).join(' ');
    const failed = (v: VariantResult): number => v.metrics.total.failedTotal;
    const best = result.variants.reduce((a, b) => (failed(b) < failed(a) ? b : a));
    const worst = result.variants.reduce((a, b) => (failed(b) > failed(a) ? b : a));
    expect(best.name).toBe('retry=exponential');
    expect(worst.name).toBe('retry=immediate');
    expect(text).toMatch(/^exponential fails the fewest operations \(/);
    expect(figure(text, /fewest operations \(([\d,]+) of/)).toBe(failed(best));
    expect(figure(text, /fewest operations \([\d,]+ of ([\d,]+)/)).toBe(best.metrics.total.completed);
    expect(figure(text, /immediate fails ([\d,]+)/)).toBe(failed(worst));
    expectQuoted(figure(text, /immediate fails [\d,]+ \((\d+)%\)/), (failed(worst) / worst.metrics.total.completed) * 100, 0);
    expect(text).toContain('Backoff costs latency');
    expectQuoted(figure(text, /p99 ([\d.]+) s against/), best.metrics.total.latencyUs.p99 / 1e6, 1);
    expectQuoted(figure(text, /against (\d+) ms/), worst.metrics.total.latencyUs.p99 / 1e3, 0);
  });

  test('caching-comparison: the unthrottled cache with the fewest KMS calls, its saving, cost, exposure; the uncached throttling', async () => {
    const result = await shippedResult('caching-comparison.yaml');
    const text = headline(result).join(' ');
    const off = byName(result, 'fleets.app.cache=off');
    const cached = result.variants.filter((v) => v !== off && v.metrics.total.throttled === 0);
    const pick = cached.reduce((a, b) => (b.metrics.total.attempts < a.metrics.total.attempts ? b : a));
    expect(pick.name).toBe('fleets.app.cache=maxMessagesEncrypted:100');
    expect(text).toMatch(/^maxMessagesEncrypted:100 cuts KMS calls /);
    expect(figure(text, /from ([\d,]+) to/)).toBe(off.metrics.total.attempts);
    expect(figure(text, /from [\d,]+ to ([\d,]+)\)/)).toBe(pick.metrics.total.attempts);
    expectQuoted(figure(text, /cuts KMS calls ([\d.]+)%/), (1 - pick.metrics.total.attempts / off.metrics.total.attempts) * 100, 1);
    expectQuoted(figure(text, /cost from \$([\d,.]+) to/), off.cost?.costUsdPerMonth ?? NaN, 2);
    expectQuoted(figure(text, /to \$([\d,.]+) a month/), pick.cost?.costUsdPerMonth ?? NaN, 2);
    const cache = pick.metrics.fleets['app']?.cache;
    expect(figure(text, /up to ([\d,]+) messages/)).toBe(cache?.messagesPerKeyMax);
    expectQuoted(figure(text, /messages over ([\d.]+) s/), (cache?.maxKeyAgeMs ?? NaN) / 1000, 1);
    expectQuoted(figure(text, /Without a cache, (\d+)% of calls throttle/), off.metrics.total.throttleRate * 100, 0);
  });

  test('region-tiers-2019: the one throttled fleet with its share and quota; the others with their headroom', async () => {
    const result = await shippedResult('region-tiers-2019.yaml', ['duration=3s']);
    const [variant] = result.variants;
    if (variant === undefined) throw new Error('no variant');
    const text = headline(result).join(' ');
    const throttled = Object.entries(variant.metrics.fleets).filter(([, f]) => f.total.throttled > 0).map(([name]) => name);
    expect(throttled).toEqual(['sao-paulo']);
    const saoPaulo = variant.metrics.fleets['sao-paulo']?.total;
    expect(text).toMatch(/^sao-paulo \(sa-east-1\) is throttled: /);
    expectQuoted(figure(text, /throttled: ([\d.]+)% of calls/), (saoPaulo?.throttleRate ?? NaN) * 100, 1);
    const quota = variant.quota.find((slot) => slot.region === 'sa-east-1')?.quotaPerSec;
    expect(figure(text, /goodput held at the ([\d,]+)\/s symmetric quota/)).toBe(quota);
    expect(text).toContain('; frankfurt and virginia are not (their busiest seconds used ');
    const peakShare = (fleet: string, region: string): number => {
      const admitted = variant.metrics.fleets[fleet]?.timelines['symmetric']?.admitted.slice(0, variant.metrics.rateWindow.wholeSeconds) ?? [];
      return (Math.max(...admitted) / (variant.quota.find((slot) => slot.region === region)?.quotaPerSec ?? NaN)) * 100;
    };
    expectQuoted(figure(text, /used (\d+)% and/), peakShare('frankfurt', 'eu-central-1'), 0);
    expectQuoted(figure(text, /and (\d+)% of their quotas/), peakShare('virginia', 'us-east-1'), 0);
  });

  test('fleet-hour (5 simulated s): the closed loop held at the us-east-1 quota, a few % throttled', async () => {
    const result = await shippedResult('fleet-hour.yaml', ['duration=5s']);
    const total = result.variants[0]?.metrics.total;
    const text = headline(result).join(' ');
    expect(text).toMatch(/^hosts is throttled: the us-east-1 symmetric quota \(100,000\/s\) holds goodput to /);
    expectQuoted(figure(text, /goodput to ([\d,]+)\/s/), total?.goodputPerSec ?? NaN, 0);
    expectQuoted(figure(text, /([\d.]+)% of calls throttle/), (total?.throttleRate ?? NaN) * 100, 1);
  });

  test('sdk-client (5 simulated s): the adaptive mode is flagged, not ranked, for its growing backlog', async () => {
    const result = await shippedResult('sdk-client.yaml', ['duration=5s']);
    const [caveat, ...rest] = headline(result);
    const adaptive = byName(result, 'retry=sdk-adaptive');
    expect(adaptive.metrics.total.backlog.growing).toBe(true);
    expect(caveat).toMatch(/^Not a steady state in sdk-adaptive: the backlog of api grows through the run \(([\d,]+) operations still waiting/);
    expect(figure(caveat ?? '', /\(([\d,]+) operations still waiting/)).toBe(adaptive.metrics.total.backlog.atEnd);
    // Ranked among the variants that finished their work: the adaptive mode fails none only because it has not.
    const steady = result.variants.filter((v) => v !== adaptive);
    const best = steady.reduce((a, b) => (b.metrics.total.failedTotal < a.metrics.total.failedTotal ? b : a));
    expect(rest.join(' ')).toMatch(new RegExp(`^${best.name.replace('retry=', '')} fails the fewest operations \\(${best.metrics.total.failedTotal.toLocaleString('en-US')} of`));
    expect(rest.join(' ')).not.toContain('sdk-adaptive');
    expect(headline(result).join(' ')).not.toContain('$');
  }, 120_000);
});

// ---- Synthetic results: one per kind of question, and the cases where a figure must not be quoted. ----

/** A result with each variant changed by `edit` (a cache summary, a cost the run could not support, …). */
function edited(result: RunResult, edit: (v: VariantResult) => VariantResult): RunResult {
  return { ...result, variants: result.variants.map(edit) };
}

/** The variant with fleet `web`'s cache summary set (the fixture records no cache). */
function withCache(v: VariantResult, cache: Partial<CacheSummary> & { readonly cached: boolean }): VariantResult {
  const web = v.metrics.fleets['web'];
  if (web === undefined) throw new Error('no fleet web');
  const full: CacheSummary = {
    encryptHits: 0, encryptMisses: 0, encryptJoined: 0, decryptHits: 0, decryptMisses: 0, decryptJoined: 0, hitRate: 0,
    evictions: { capacity: 0, expired: 0, limits: 0, replaced: 0 }, envelopeOps: 0, kmsCalls: 0, kmsCallsPerOp: 0,
    kmsCallsSaved: 0, dataKeys: 0, messagesPerKeyMean: 1, messagesPerKeyMax: 1, bytesPerKeyMean: 0, bytesPerKeyMax: 0,
    maxKeyAgeMs: 0, ...cache,
  };
  return { ...v, metrics: { ...v.metrics, fleets: { ...v.metrics.fleets, web: { ...web, cache: full } } } };
}

const encrypt = (admittedPerSec: SyntheticOp['admittedPerSec'], extra: Partial<SyntheticOp> = {}): SyntheticOp => ({
  fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec, ...extra,
});

/** Three variants of a cache matrix: off (throttled), 10 messages per key, 100 per key (the fewest calls). */
function cacheMatrix(): RunResult {
  const result = syntheticResult({
    variants: [
      { name: 'fleets.web.cache=off', values: { 'fleets.web.cache': 'off' }, scenario: simpleScenario(), ops: [encrypt(100, { throttledPerSec: 300 })], quota: [slot('symmetric', 100, 500, 1500)] },
      { name: 'fleets.web.cache=maxMessagesEncrypted:10', values: { 'fleets.web.cache': { maxMessagesEncrypted: 10 } }, scenario: simpleScenario(), ops: [encrypt(40)], quota: [slot('symmetric', 100, 200, 0)] },
      { name: 'fleets.web.cache=maxMessagesEncrypted:100', values: { 'fleets.web.cache': { maxMessagesEncrypted: 100 } }, scenario: simpleScenario(), ops: [encrypt(4)], quota: [slot('symmetric', 100, 20, 0)] },
    ],
  });
  return edited(result, (v) =>
    v.name.endsWith('=off') ? withCache(v, { cached: false }) : withCache(v, { cached: true, messagesPerKeyMax: v.name.endsWith(':10') ? 10 : 100, maxKeyAgeMs: 2_500 }),
  );
}

describe('headline kinds on synthetic results', () => {
  test('a cache matrix names the unthrottled setting with the fewest calls, its saving, cost and exposure', () => {
    const result = cacheMatrix();
    const [off, , pick] = result.variants;
    const [first, second] = headline(result);
    expect(first).toBe(
      `maxMessagesEncrypted:100 cuts KMS calls 99.0% (from 2,000 to 20) and cost from ${formatUsd(off?.cost?.costUsdPerMonth ?? null)} ` +
        `to ${formatUsd(pick?.cost?.costUsdPerMonth ?? null)} a month; each data key encrypts up to 100 messages over 2.5 s.`,
    );
    expect(second).toBe('Without a cache, 75% of calls throttle and 75% of operations fail.');
  });

  test('a cost the run cannot support is never quoted: the saving in calls stands alone', () => {
    const result = edited(cacheMatrix(), (v) => (v.cost === undefined ? v : { ...v, cost: { ...v.cost, costUsdPerMonth: null, requestsUsdPerMonth: null, unavailable: 'too short to reach steady state' } }));
    const text = headline(result).join(' ');
    expect(text).toMatch(/^maxMessagesEncrypted:100 cuts KMS calls 99\.0% \(from 2,000 to 20\); each data key/);
    expect(text).not.toContain('$');
  });

  test('a retry matrix names the policy that fails the fewest, the one that fails the most, and the latency price', () => {
    const result = syntheticResult({
      variants: [
        { name: 'retry=immediate', values: { retry: { policy: 'immediate', maxAttempts: 3 } }, scenario: simpleScenario(['Encrypt'], 'web', { policy: 'immediate', maxAttempts: 3 }), ops: [encrypt(80, { throttledPerSec: 20, latencyUs: 2_000 })] },
        { name: 'retry=exponential', values: { retry: { policy: 'exponential', base: '100ms' } }, scenario: simpleScenario(['Encrypt'], 'web', { policy: 'exponential', baseMs: 100, capMs: 5_000, maxAttempts: 3 }), ops: [encrypt(80, { retriedPerSec: 18, throttledPerSec: 2, latencyUs: 400_000 })] },
      ],
    });
    expect(headline(result)).toEqual([
      'exponential fails the fewest operations (10 of 500, 2.0%); immediate fails 100 (20%).',
      'Backoff costs latency: p99 800 ms against 2.0 ms.',
    ]);
  });

  test('one throttled fleet: the full quota holds goodput to it, against what was offered', () => {
    const result = syntheticResult({ variants: [{ name: 'default', scenario: simpleScenario(), ops: [encrypt(100, { throttledPerSec: 50 })], quota: [slot('symmetric', 100, 500, 250)] }] });
    expect(headline(result)).toEqual([
      'web is throttled: the us-east-1 symmetric quota (100/s) holds goodput to 100/s against 150/s offered; 33% of calls throttle and 33% of operations fail.',
    ]);
  });

  test('no throttling: the busiest second against its quota', () => {
    const result = syntheticResult({ variants: [{ name: 'default', scenario: simpleScenario(), ops: [encrypt([50, 62, 40, 55, 10])], quota: [slot('symmetric', 100, 217, 0)] }] });
    expect(headline(result)).toEqual(['No throttling: the busiest second used 62% of the us-east-1 symmetric quota (100/s).']);
  });

  test('several fleets: which is throttled and which is not, with the headroom of the one that is not', () => {
    const result = syntheticResult({
      variants: [
        {
          name: 'default',
          scenario: twoFleetScenario(),
          ops: [encrypt(100, { throttledPerSec: 50 }), { fleet: 'batch', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 20 }],
          quota: [slot('symmetric', 100, 500, 250, 'us-east-1'), slot('symmetric', 1_000, 100, 0, 'eu-west-1')],
        },
      ],
    });
    expect(headline(result)).toEqual([
      'web (us-east-1) is throttled: 33% of calls, goodput held at the 100/s symmetric quota; batch is not (its busiest second used 2.0% of its quota).',
    ]);
  });

  test('any other matrix: who throttles, who does not, and the worst one’s failures', () => {
    const ops = (throttledPerSec: number): SyntheticOp[] => [encrypt(50, { throttledPerSec })];
    const result = syntheticResult({
      variants: [
        { name: 'quotas.profile=a', values: { 'quotas.profile': 'a' }, ops: ops(0) },
        { name: 'quotas.profile=b', values: { 'quotas.profile': 'b' }, ops: ops(50) },
      ],
    });
    expect(headline(result)).toEqual(['b throttles and a does not; b throttles most: 50% of calls, 250 of 500 operations fail.']);
  });

  test('an incomplete run says so first and quotes no cost', () => {
    const result = syntheticResult({ state: 'incomplete', variants: [{ name: 'default', state: 'incomplete', scenario: simpleScenario(), ops: [encrypt(100, { throttledPerSec: 50 })], quota: [slot('symmetric', 100, 500, 250)] }] });
    const [first, ...rest] = headline(result);
    expect(first).toBe('Incomplete (interrupted): the figures cover the 5 s measured before it stopped.');
    expect(rest.join(' ')).toMatch(/^web is throttled/);
    expect(headline(result).join(' ')).not.toContain('$');
  });

  test('a generator that fell behind is said first, and neither its goodput nor its latency is quoted', () => {
    const base = syntheticResult({ variants: [{ name: 'default', scenario: simpleScenario(), ops: [encrypt(100, { throttledPerSec: 50 })], quota: [slot('symmetric', 100, 500, 250)] }] });
    const result = edited(base, (v) => ({ ...v, harnessLimited: true, metrics: { ...v.metrics, total: { ...v.metrics.total, lateOrDroppedRate: 0.05 } } }));
    const [caveat, finding] = headline(result);
    expect(caveat).toBe('The load generator fell behind (5.0% of requests late or dropped): its goodput and latency measure the harness, not KMS.');
    expect(finding).toBe('web is throttled by the us-east-1 symmetric quota (100/s): 33% of calls throttle and 33% of operations fail.');
  });

  test('a growing backlog is said first, and no cost is quoted', () => {
    const result = syntheticResult({ seconds: 6, variants: [{ name: 'default', scenario: simpleScenario(), ops: [encrypt(100, { pendingPerSec: 10 })], quota: [slot('symmetric', 1_000, 600, 0)] }] });
    const text = headline(result).join(' ');
    expect(text).toMatch(/^Not a steady state: the backlog of web grows through the run \(60 operations still waiting at the end\)/);
    expect(text).not.toContain('$');
  });
});

describe('headline figures', () => {
  test.each([
    [0, '0%'], [1, '100%'], [0.00004, '<0.01%'], [0.99996, '>99.99%'], [0.0042, '0.42%'], [0.036, '3.6%'], [0.21, '21%'],
    [0.993, '99.3%'], [0.9996, '99.96%'],
  ])('percentText(%s) is %s: rounded to neither end unless exact', (ratio, text) => {
    expect(percentText(ratio)).toBe(text);
  });

  test.each([
    [850, '0.85 ms'], [8_900, '8.9 ms'], [88_639, '89 ms'], [11_378_687, '11.4 s'], [250_000_000, '250 s'],
  ])('latencyText(%s µs) is %s', (us, text) => {
    expect(latencyText(us)).toBe(text);
  });
});
