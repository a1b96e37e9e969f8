/**
 * What `kms-bench validate` accepts, `kms-bench run` runs (issue #18). The scenario schema used to keep its own copy of
 * the retry and quota rules: `retry.base: 0ms` validated for exponential backoff, then the run refused it ("INCOMPLETE:
 * … must be a positive number") after the user had been told the file was fine. Now the schema runs the layers' own
 * validators, so:
 * - every boundary value a scenario accepts — for each retry policy and each quota enforcement — runs to the end on
 *   the virtual clock, and
 * - every value the layers refuse is refused by validation, at the field's path, in the layer's words.
 */
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { isRecord } from '../src/base/records.js';
import { validateFleetRetryOptions } from '../src/client/retry-options.js';
import { SDK_STANDARD_TOKEN_BUDGET } from '../src/client/retry-policy.js';
import { planVariant } from '../src/engine/plan.js';
import { simulateVariant } from '../src/engine/simulate-variant.js';
import { mergeMetrics, summarize } from '../src/metrics/index.js';
import { QUOTA_ENFORCEMENTS, checkQuotaOptions } from '../src/quota/index.js';
import { ScenarioError, parseDuration, parseScenarioText } from '../src/scenario/index.js';
import { RETRY_DEFAULTS } from '../src/scenario/schema.js';

const DURATION_SEC = 2;
const RATE = 40;

/** One fleet calling Encrypt at 40/s against a symmetric quota of 10/s, so requests are throttled and retried. */
function scenarioText(options: { retry: string; quotas?: string; client?: string }): string {
  return `name: accepted
duration: ${DURATION_SEC}s
clock: virtual
seed: 7
quotas: ${options.quotas ?? '{ overrides: { us-east-1: { symmetric: 10 } } }'}
keys: [{ name: app, region: us-east-1 }]
serviceLatency: { default: { distribution: constant, ms: 1 } }
fleets:
  - name: web
    region: us-east-1
    client: ${options.client ?? 'direct'}
    workload: { model: open, arrivalRate: ${RATE} }
    mix: [{ op: Encrypt, key: app, payloadBytes: 16 }]
    retry: ${options.retry}
`;
}

/** Runs a scenario on the virtual clock in this thread and checks that it ran: every request offered and answered. */
async function runsToTheEnd(text: string): Promise<void> {
  const scenario = parseScenarioText(text, 'accepted.yaml');
  const result = await simulateVariant({ plan: planVariant('v', scenario), crypto: 'off' });
  expect(result.stoppedEarly).toBe(false);
  expect(Number.isFinite(result.simulatedSeconds)).toBe(true);
  expect(result.simulatedSeconds).toBeGreaterThan(0);
  const total = summarize(mergeMetrics([result.metrics]), { durationSec: DURATION_SEC }).total;
  expect(total.offered).toBe(RATE * DURATION_SEC);
  expect(total.succeeded + total.failedTotal).toBe(total.offered);
  expect(total.succeeded).toBeGreaterThan(0);
}

/** The problems validation reports, as `path: message` lines; [] when the scenario is valid. */
function problemsOf(text: string): string[] {
  try {
    parseScenarioText(text, 'refused.yaml');
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
}

/** The smallest duration a scenario can write that is not 0 (durations are kept to the microsecond). */
const SMALLEST = '0.001ms';

/** Boundary values each retry policy accepts: zeros where allowed, else the smallest positive value, cap = base. */
const HARNESS_RETRIES: readonly (readonly [string, string])[] = [
  ['none', 'none'],
  ['none', '{ policy: none, maxAttempts: 1 }'],
  ['immediate', '{ policy: immediate, maxAttempts: 1 }'],
  ['immediate', `{ policy: immediate, maxAttempts: 4, tokenBudget: { capacity: 1, retryCost: 0, timeoutCost: 0, successRefund: 0 } }`],
  ['constant', '{ policy: constant, base: 0ms, maxAttempts: 3 }'],
  ['constant', `{ policy: constant, base: ${SMALLEST}, maxAttempts: 3 }`],
  ...(['exponential', 'full-jitter', 'equal-jitter', 'decorrelated-jitter'] as const).flatMap((policy) => [
    [policy, `{ policy: ${policy}, base: ${SMALLEST}, cap: ${SMALLEST}, maxAttempts: 3 }`] as const,
    [policy, `{ policy: ${policy}, base: ${SMALLEST}, cap: 1h, maxAttempts: 4, tokenBudget: { capacity: 1, retryCost: 1, timeoutCost: 0, successRefund: 0 } }`] as const,
  ]),
];

/** Each policy with its boundary values and the client that runs it: the SDK's own strategies need the SDK client. */
const ACCEPTED_RETRIES: readonly (readonly [string, string, string])[] = [
  ...HARNESS_RETRIES.map(([policy, retry]) => [policy, retry, 'direct'] as const),
  ['sdk-standard', '{ policy: sdk-standard, maxAttempts: 1 }', 'sdk'],
  ['sdk-adaptive', '{ policy: sdk-adaptive, maxAttempts: 2 }', 'sdk'],
];

/** Boundary values each enforcement accepts: the smallest quota, a fraction, the largest, infinity; burst extremes. */
const ACCEPTED_QUOTAS: readonly (readonly [string, string])[] = QUOTA_ENFORCEMENTS.flatMap((enforcement) => {
  const burst = enforcement === 'token-bucket' ? ['burstSeconds: 0.000001, ', 'burstSeconds: 1000000, '] : [''];
  return [
    ...['0.000001', '0.5', '1', '.inf', '1e300', '1.7976931348623157e308'].map((quota) => [enforcement, `{ enforcement: ${enforcement}, overrides: { us-east-1: { symmetric: ${quota} } } }`] as const),
    ...burst.map((field) => [enforcement, `{ enforcement: ${enforcement}, ${field}overrides: { '*': { symmetric: 0.3 } } }`] as const),
    [enforcement, `{ enforcement: ${enforcement}, profile: unlimited }`] as const,
  ];
});

describe('every boundary value a scenario accepts runs on the virtual clock', () => {
  describe.each(QUOTA_ENFORCEMENTS)('enforcement %s', (enforcement) => {
    test.each(ACCEPTED_RETRIES)('retry policy %s: %s', async (_policy, retry, client) => {
      const quotas = `{ enforcement: ${enforcement}, overrides: { us-east-1: { symmetric: 10 } } }`;
      await runsToTheEnd(scenarioText({ retry, quotas, client }));
    });
  });

  test.each(ACCEPTED_QUOTAS)('%s quotas %s', async (_enforcement, quotas) => {
    await runsToTheEnd(scenarioText({ retry: '{ policy: full-jitter, base: 10ms, cap: 1s, maxAttempts: 3 }', quotas }));
  });
});

/** Values the retry layer refuses: each is refused by validation at the path of its field. */
const REFUSED_RETRIES: readonly (readonly [string, string])[] = [
  ...(['exponential', 'full-jitter', 'equal-jitter', 'decorrelated-jitter'] as const).flatMap((policy) => [
    [`{ policy: ${policy}, base: 0ms }`, 'base'] as const,
    [`{ policy: ${policy}, base: 0.0001ms }`, 'base'] as const, // rounds to 0: durations keep microseconds
    [`{ policy: ${policy}, cap: 0ms }`, 'cap'] as const,
    [`{ policy: ${policy}, base: 2s, cap: 1s }`, 'cap'] as const,
  ]),
  ['{ policy: constant, maxAttempts: 0 }', 'maxAttempts'],
  ['{ policy: immediate, maxAttempts: 1.5 }', 'maxAttempts'],
  ['{ policy: none, maxAttempts: 2 }', 'maxAttempts'],
  ['{ policy: none, tokenBudget: { capacity: 1 } }', 'tokenBudget'],
  ['{ policy: immediate, tokenBudget: { capacity: 0 } }', 'tokenBudget.capacity'],
  ['{ policy: exponential, tokenBudget: { retryCost: -1 } }', 'tokenBudget.retryCost'],
  ['{ policy: exponential, maxAttempts: "3" }', 'maxAttempts'],
];

/** The retry options the run would build from a scenario's `retry`: its defaults filled, durations in ms. */
function layerOptions(retry: Record<string, unknown>): Record<string, unknown> {
  const ms = (value: unknown): unknown => {
    const parsed = parseDuration(value);
    return parsed.ok ? parsed.ms : value;
  };
  const { base = `${RETRY_DEFAULTS.baseMs}ms`, tokenBudget, ...rest } = retry;
  if (rest['policy'] === 'none') return retry;
  // A constant backoff takes no cap; the others default it.
  const cap = retry['cap'] ?? (rest['policy'] === 'constant' ? undefined : `${RETRY_DEFAULTS.capMs}ms`);
  delete rest['cap'];
  const { capacity, retryCost, timeoutCost, successRefund } = SDK_STANDARD_TOKEN_BUDGET;
  const budget = isRecord(tokenBudget) ? { tokenBudget: { capacity, retryCost, timeoutCost, successRefund, ...tokenBudget } } : {};
  return { maxAttempts: RETRY_DEFAULTS.maxAttempts, baseMs: ms(base), ...(cap === undefined ? {} : { capMs: ms(cap) }), ...budget, ...rest };
}

/** Quota fields refused by the scenario's own rules, on top of the quota layer's. */
const SCENARIO_ONLY = ['burstSeconds-without-token-bucket', 'overrides.us-east-9', 'capacity'];

describe('every value the option validators refuse is refused by validate, at its field', () => {
  test.each(REFUSED_RETRIES)('retry %s is refused at retry.%s', (retry, field) => {
    const problems = problemsOf(scenarioText({ retry }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^fleets\\[0\\]\\.retry\\.${field.replaceAll('.', '\\.')}: `));
    // The same value straight to the retry layer is refused there too, with the same words.
    const layer = validateFleetRetryOptions(layerOptions(parseYamlFlow(retry)), 'fleets[0].retry');
    expect(layer).toHaveLength(1);
    expect(layer.map((issue) => `${issue.path}: ${issue.problem ?? ''}`)).toContain(problems[0]);
  });

  test.each([
    ['{ enforcement: leaky }', 'enforcement'],
    ['{ profile: kms-1999 }', 'profile'],
    ['{ enforcement: token-bucket, burstSeconds: 0 }', 'burstSeconds'],
    ['{ burstSeconds: 2 }', 'burstSeconds-without-token-bucket'],
    ['{ overrides: { us-east-1: { symmetric: 0 } } }', 'overrides.us-east-1.symmetric'],
    ['{ overrides: { us-east-1: { symmetric: -1 } } }', 'overrides.us-east-1.symmetric'],
    // Below one request per 11.6 days a limiter's arithmetic is no longer exact (1e-300 used to run as unlimited).
    ['{ overrides: { us-east-1: { symmetric: 1e-300 } } }', 'overrides.us-east-1.symmetric'],
    ['{ enforcement: token-bucket, overrides: { us-east-1: { symmetric: 5e-324 } } }', 'overrides.us-east-1.symmetric'],
    ['{ overrides: { us-east-1: { Symmetric: 5 } } }', 'overrides.us-east-1.Symmetric'],
    ['{ overrides: { us-east-9: { symmetric: 5 } } }', 'overrides.us-east-9'], // shaped like a region, but not KMS's
    ['{ capacity: 64 }', 'capacity'], // the board's size is the engine's, not a scenario field
  ])('quotas %s is refused at quotas.%s', (quotas, field) => {
    const problems = problemsOf(scenarioText({ retry: 'none', quotas }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^quotas\\.${field.replace('-without-token-bucket', '').replaceAll('.', '\\.')}: `));
    // Where the quota layer has a rule for the value, the scenario reports it in the layer's words. (Not a KMS region,
    // a burst without a token bucket and the board's size are the scenario's own rules: the layer takes those.)
    const layer = checkQuotaOptions(parseYamlFlow(quotas)).issues.map((issue) => `${issue.path}: ${issue.problem ?? ''}`);
    expect(layer).toEqual(SCENARIO_ONLY.includes(field) ? [] : [problems[0]]);
  });

  test('the issue #18 scenario: retry.base 0ms for exponential backoff fails validation, not the run', () => {
    expect(problemsOf(scenarioText({ retry: '{ policy: exponential, base: 0ms, cap: 5s, maxAttempts: 5 }' }))).toEqual([
      'fleets[0].retry.base: must be a positive number of milliseconds for exponential, got 0 ms (to retry at once without backoff use policy immediate)',
    ]);
  });
});

/** A YAML flow mapping of this file's cases as data, read as the scenario reader reads YAML. */
function parseYamlFlow(text: string): Record<string, unknown> {
  return parse(text) as Record<string, unknown>;
}
