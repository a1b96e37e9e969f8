/**
 * The harness's copy of the SDK retry table is held to what the installed SDK's own StandardRetryStrategy does, so a
 * table typed in by hand (say the pre-2026 one, whose constants the package still exports) fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SDK_STANDARD_TOKEN_BUDGET, createRetryPolicy } from '../src/client/retry-policy.js';
import type { RetryKind } from '../src/client/retry-policy.js';
import { SDK_RETRY_TABLE, readSdkRetryTable } from '../src/client/sdk-retry-table.js';
import { buildResult, resultToJson } from '../src/report/result.js';

/** The parts of the SDK's retry token and strategy this test drives (`@smithy/core/retry`). */
interface SdkToken {
  getRetryCount(): number;
  getRetryCost(): number | undefined;
  readonly $retryLog?: { readonly acquisitionDelay: number };
}
interface SdkStrategy {
  acquireInitialRetryToken(scope: string): Promise<SdkToken>;
  refreshRetryTokenForRetry(token: SdkToken, error: { errorType: string }): Promise<SdkToken>;
  recordSuccess(token: SdkToken): void;
  getCapacity(): number;
}

// Load the strategy exactly as the SDK client does: resolved from @aws-sdk/client-kms, not from this test's folder.
const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('@aws-sdk/client-kms'));
const sdkRetry = requireFromSdk('@smithy/core/retry') as { StandardRetryStrategy: new (options: { maxAttempts: number }) => SdkStrategy };
const newStrategy = (): SdkStrategy => new sdkRetry.StandardRetryStrategy({ maxAttempts: 1_000 });
const ERROR_TYPE: Record<RetryKind, string> = { throttle: 'THROTTLING', transient: 'TRANSIENT' };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the SDK retry table is read from the package the SDK client loads', () => {
  test('package and version are those of the resolved @smithy/core', () => {
    let dir = dirname(requireFromSdk.resolve('@smithy/core/retry'));
    while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "@smithy/core"')) {
      dir = dirname(dir);
    }
    const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    expect(SDK_RETRY_TABLE).toMatchObject({ package: '@smithy/core', version: installed.version });
  });

  test("the harness's SDK token budget defaults are the table", () => {
    expect(SDK_STANDARD_TOKEN_BUDGET).toEqual({
      capacity: SDK_RETRY_TABLE.initialTokens,
      retryCost: SDK_RETRY_TABLE.retryCost,
      timeoutCost: SDK_RETRY_TABLE.transientRetryCost,
      successRefund: SDK_RETRY_TABLE.noRetryIncrement,
      refundMode: 'refund-last-cost',
    });
  });

  test('result.json records the table in its environment block', () => {
    const result = buildResult({
      scenario: { name: 't', hash: '0'.repeat(64), seed: 1, clock: 'virtual', durationMs: 1_000, document: {} },
      variantValues: new Map(),
      run: { state: 'completed', variants: [] },
      versions: { tool: '0.0.0-test', node: process.version, dependencies: {} },
      workers: 1,
      startedAt: new Date('2026-01-02T03:04:05Z'),
      wallSeconds: 1,
    });
    const written = JSON.parse(resultToJson(result)) as { environment: { sdkRetryTable: unknown } };
    expect(written.environment.sdkRetryTable).toEqual({ ...SDK_RETRY_TABLE });
  });
});

describe("the table matches the real StandardRetryStrategy's behaviour", () => {
  test('token accounting: the same retries and successes leave the same tokens, step by step', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0); // every backoff is 0 ms, so the strategy's sleeps take no time
    const sdk = newStrategy();
    const harness = createRetryPolicy({ policy: 'immediate', maxAttempts: 1_000, tokenBudget: SDK_STANDARD_TOKEN_BUDGET }, () => 0);
    let token = await sdk.acquireInitialRetryToken('kms');
    let operation = harness.startOperation();
    const script: readonly (RetryKind | 'success')[] = ['transient', 'transient', 'throttle', 'success', 'throttle', 'success', 'success', 'transient', 'success'];
    const seen: [number, number][] = [];
    for (const step of script) {
      if (step === 'success') {
        sdk.recordSuccess(token);
        operation.onSuccess();
        token = await sdk.acquireInitialRetryToken('kms');
        operation = harness.startOperation();
      } else {
        token = await sdk.refreshRetryTokenForRetry(token, { errorType: ERROR_TYPE[step] });
        expect(operation.tryAcquireRetry(step)).toBe(true);
      }
      seen.push([sdk.getCapacity(), harness.availableTokens]);
    }
    expect(seen.map(([sdkTokens]) => sdkTokens)).toEqual(seen.map(([, harnessTokens]) => harnessTokens));
    // The script spent tokens net of refunds, so the comparison covered costs, not only a full bucket.
    expect(seen[1]?.[0]).toBe(SDK_RETRY_TABLE.initialTokens - 2 * SDK_RETRY_TABLE.transientRetryCost);
  });

  test.each(['transient', 'throttle'] as const)('%s retries run out after the same number of retries', async (kind) => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const sdk = newStrategy();
    const harness = createRetryPolicy({ policy: 'immediate', maxAttempts: 1_000, tokenBudget: SDK_STANDARD_TOKEN_BUDGET }, () => 0);
    let token = await sdk.acquireInitialRetryToken('kms');
    let sdkRetries = 0;
    for (;;) {
      try {
        token = await sdk.refreshRetryTokenForRetry(token, { errorType: ERROR_TYPE[kind] });
      } catch {
        break;
      }
      sdkRetries++;
    }
    let harnessRetries = 0;
    while (harness.tryAcquireRetry(kind)) harnessRetries++;
    expect(harnessRetries).toBe(sdkRetries);
    expect(harness.availableTokens).toBe(sdk.getCapacity());
  });

  test.each([
    ['THROTTLING', 0, () => SDK_RETRY_TABLE.throttlingBaseMs],
    ['TRANSIENT', 0, () => SDK_RETRY_TABLE.transientBaseMs],
    ['THROTTLING', 30, () => SDK_RETRY_TABLE.maxDelayMs],
  ] as const)('a %s error after %i retries waits up to the table’s delay', async (errorType, retries, expected) => {
    // random() = 1 turns the full-jitter draw into its upper bound min(cap, base × 2^retries).
    vi.spyOn(Math, 'random').mockReturnValue(1);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const token: SdkToken = { getRetryCount: () => retries, getRetryCost: () => undefined };
    const pending = newStrategy().refreshRetryTokenForRetry(token, { errorType });
    await vi.advanceTimersByTimeAsync(SDK_RETRY_TABLE.maxDelayMs);
    const next = await pending;
    expect(next.$retryLog?.acquisitionDelay).toBe(expected());
  });
});

describe('readSdkRetryTable', () => {
  const shared = { INITIAL_RETRY_TOKENS: 500, NO_RETRY_INCREMENT: 1, MAXIMUM_RETRY_DELAY: 20_000, DEFAULT_MAX_ATTEMPTS: 3 };
  const oldExports = { DEFAULT_RETRY_DELAY_BASE: 100, THROTTLING_RETRY_DELAY_BASE: 500, RETRY_COST: 5, TIMEOUT_RETRY_COST: 10 };
  const origin = { package: '@smithy/util-retry', version: '4.2.0' };

  test('a package without a Retry class runs its exported constants (pre-2026)', () => {
    expect(readSdkRetryTable({ ...shared, ...oldExports }, origin)).toEqual({
      ...origin,
      table: 'pre-2026',
      selectedBy: 'no Retry class: the exported constants',
      throttlingBaseMs: 500,
      transientBaseMs: 100,
      retryCost: 5,
      transientRetryCost: 10,
      initialTokens: 500,
      noRetryIncrement: 1,
      maxDelayMs: 20_000,
      defaultMaxAttempts: 3,
    });
  });

  test('a Retry class wins over the exported constants, and its flag names the table', () => {
    const retry = (v2026: boolean) => ({
      v2026,
      delay: () => (v2026 ? 50 : 100),
      throttlingDelay: () => (v2026 ? 1_000 : 500),
      cost: () => (v2026 ? 14 : 10),
      throttlingCost: () => 5,
      modifiedCostType: () => 'THROTTLING',
    });
    expect(readSdkRetryTable({ ...shared, ...oldExports, Retry: retry(true) }, origin)).toMatchObject({
      table: 'v2026',
      selectedBy: 'Retry.v2026 = true',
      throttlingBaseMs: 1_000,
      transientBaseMs: 50,
      retryCost: 5,
      transientRetryCost: 14,
    });
    expect(readSdkRetryTable({ ...shared, ...oldExports, Retry: retry(false) }, origin)).toMatchObject({
      table: 'pre-2026',
      selectedBy: 'Retry.v2026 = false',
      transientRetryCost: 10,
    });
  });

  test.each<[string, unknown, RegExp]>([
    ['not a module', undefined, /did not load as a module/],
    ['no quota constants', { ...oldExports }, /has no numeric INITIAL_RETRY_TOKENS, NO_RETRY_INCREMENT, MAXIMUM_RETRY_DELAY, DEFAULT_MAX_ATTEMPTS/],
    ['neither a Retry class nor the old constants', { ...shared }, /has no numeric THROTTLING_RETRY_DELAY_BASE/],
    // A renamed method must not silently fall back to the exported constants, which such packages no longer run.
    ['a Retry class without throttlingDelay', { ...shared, ...oldExports, Retry: { delay: () => 50, cost: () => 14, throttlingCost: () => 5, modifiedCostType: () => 'THROTTLING' } }, /Retry has no throttlingDelay/],
    ['a Retry class answering a non-number', { ...shared, Retry: { delay: () => '50', throttlingDelay: () => 1_000, cost: () => 14, throttlingCost: () => 5, modifiedCostType: () => 'THROTTLING' } }, /Retry has no numeric transientBaseMs/],
  ])('%s is refused with the missing names', (_label, module, message) => {
    expect(() => readSdkRetryTable(module, origin)).toThrow(message);
  });
});
