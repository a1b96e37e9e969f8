/**
 * The retry table the installed AWS SDK actually runs, read from the package when this module loads instead of
 * copied into the harness, because it has moved under us. History (aws-kms-facts.md §4):
 * - until 2026 the standard strategy (`@smithy/util-retry`, later `@smithy/core/retry`) used the constants it exports:
 *   `DEFAULT_RETRY_DELAY_BASE` 100 ms, `THROTTLING_RETRY_DELAY_BASE` 500 ms, `RETRY_COST` 5, `TIMEOUT_RETRY_COST` 10;
 * - the 2026 table (transient base 50 ms, throttling base 1,000 ms, transient retry cost 14) came first behind the
 *   opt-in `AWS_NEW_RETRIES_2026=true`, then always on. Packages that carry it keep the old exports with their old
 *   values (only the deprecated pre-SRA strategy reads them) and keep the live values in an internal `Retry` class
 *   (`Retry.v2026`, `Retry.delay()`, `Retry.throttlingDelay()`, `Retry.cost()`, `Retry.throttlingCost()`).
 * So reading the exported constants gives the wrong answer: this module asks `Retry` when the package has it, and
 * test/retry-sdk-table.test.ts holds the result to what the real `StandardRetryStrategy` does.
 *
 * The package is resolved from `@aws-sdk/client-kms`, so the table is that of the copy the SDK client loads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `v2026`: the 2026 table. `pre-2026`: the constants the package exports under their historic names. */
export type SdkRetryTableName = 'v2026' | 'pre-2026';

/** The SDK standard mode's retry numbers as the installed package runs them (times in ms). */
export interface SdkRetryTable {
  /** The npm package holding the strategy: `@smithy/core` (or `@smithy/util-retry` for older SDKs). */
  readonly package: string;
  readonly version: string;
  readonly table: SdkRetryTableName;
  /** What chose the table, e.g. `Retry.v2026 = true` (so a reader can tell a flag from a fallback). */
  readonly selectedBy: string;
  /** Backoff base after a throttling error: delay = random(0,1) × min(maxDelayMs, base × 2^retries). */
  readonly throttlingBaseMs: number;
  /** Backoff base after a transient error (timeouts, connection errors, HTTP 500/502/503/504). */
  readonly transientBaseMs: number;
  /** Tokens a retry after a throttle costs. */
  readonly retryCost: number;
  /** Tokens a retry after a transient error costs. */
  readonly transientRetryCost: number;
  /** The retry quota of a fresh client, also its ceiling. */
  readonly initialTokens: number;
  /** Tokens a success gives back when its operation made no retry (a retried success returns its last cost). */
  readonly noRetryIncrement: number;
  /** Cap on one backoff delay. */
  readonly maxDelayMs: number;
  /** Attempts in total when the client sets none. */
  readonly defaultMaxAttempts: number;
}

/** Where a module was loaded from, for the table's provenance. */
export interface SdkRetryModuleOrigin {
  readonly package: string;
  readonly version: string;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function numbers<K extends string>(source: Fields, names: readonly K[], where: string): Record<K, number> {
  const missing = names.filter((name) => typeof source[name] !== 'number' || !Number.isFinite(source[name]));
  if (missing.length > 0) throw new Error(`${where} has no numeric ${missing.join(', ')}; cannot read the SDK retry table`);
  return Object.fromEntries(names.map((name) => [name, source[name]])) as Record<K, number>;
}

/**
 * The `Retry` class of 2026-era packages; undefined only for packages without one. A `Retry` that lacks a method this
 * module calls is an error, not a fall-back to the exported constants: those are exactly what such packages no longer
 * run, so falling back would misreport the table in force without a word.
 */
function retryClass(module: Fields, where: string): Fields | undefined {
  const retry = module['Retry'];
  if (retry === undefined) return undefined;
  if (!isFields(retry)) throw new Error(`${where} exports a Retry that is not a class; cannot read the SDK retry table`);
  const missing = ['delay', 'throttlingDelay', 'cost', 'throttlingCost', 'modifiedCostType'].filter((name) => typeof retry[name] !== 'function');
  if (missing.length > 0) throw new Error(`${where} Retry has no ${missing.join(', ')}; cannot read the SDK retry table`);
  return retry;
}

function call(retry: Fields, name: string): unknown {
  return (retry[name] as () => unknown).call(retry);
}

/**
 * Reads the table from a loaded retry module (`@smithy/core/retry` or `@smithy/util-retry`). Pure, for tests.
 * @throws Error naming the constants the module lacks.
 */
export function readSdkRetryTable(module: unknown, origin: SdkRetryModuleOrigin): SdkRetryTable {
  const where = `${origin.package}@${origin.version}`;
  if (!isFields(module)) throw new Error(`${where} did not load as a module; cannot read the SDK retry table`);
  // Both tables keep the quota size, the refund of a clean success, the delay cap and the default attempts here.
  const shared = numbers(module, ['INITIAL_RETRY_TOKENS', 'NO_RETRY_INCREMENT', 'MAXIMUM_RETRY_DELAY', 'DEFAULT_MAX_ATTEMPTS'], where);
  const table = (
    name: SdkRetryTableName,
    selectedBy: string,
    live: Pick<SdkRetryTable, 'throttlingBaseMs' | 'transientBaseMs' | 'retryCost' | 'transientRetryCost'>,
  ): SdkRetryTable => ({
    package: origin.package,
    version: origin.version,
    table: name,
    selectedBy,
    throttlingBaseMs: live.throttlingBaseMs,
    transientBaseMs: live.transientBaseMs,
    retryCost: live.retryCost,
    transientRetryCost: live.transientRetryCost,
    initialTokens: shared.INITIAL_RETRY_TOKENS,
    noRetryIncrement: shared.NO_RETRY_INCREMENT,
    maxDelayMs: shared.MAXIMUM_RETRY_DELAY,
    defaultMaxAttempts: shared.DEFAULT_MAX_ATTEMPTS,
  });
  const retry = retryClass(module, where);
  if (retry !== undefined) {
    // The same rule as StandardRetryStrategy.getCapacityCost: the "modified cost type" pays throttlingCost(), every
    // other retried error pays cost().
    const modified = call(retry, 'modifiedCostType');
    const costOf = (type: string): unknown => call(retry, type === modified ? 'throttlingCost' : 'cost');
    const live = numbers(
      {
        throttlingBaseMs: call(retry, 'throttlingDelay'),
        transientBaseMs: call(retry, 'delay'),
        retryCost: costOf('THROTTLING'),
        transientRetryCost: costOf('TRANSIENT'),
      },
      ['throttlingBaseMs', 'transientBaseMs', 'retryCost', 'transientRetryCost'],
      `${where} Retry`,
    );
    // A package of the opt-in period answers from `Retry` with the flag off too; the flag names the table.
    return table(retry['v2026'] === true ? 'v2026' : 'pre-2026', `Retry.v2026 = ${String(retry['v2026'])}`, live);
  }
  const old = numbers(module, ['THROTTLING_RETRY_DELAY_BASE', 'DEFAULT_RETRY_DELAY_BASE', 'RETRY_COST', 'TIMEOUT_RETRY_COST'], where);
  return table('pre-2026', 'no Retry class: the exported constants', {
    throttlingBaseMs: old.THROTTLING_RETRY_DELAY_BASE,
    transientBaseMs: old.DEFAULT_RETRY_DELAY_BASE,
    retryCost: old.RETRY_COST,
    transientRetryCost: old.TIMEOUT_RETRY_COST,
  });
}

function versionAbove(file: string, name: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === name && typeof parsed.version === 'string') return parsed.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

/** Where SDKs have kept the standard strategy, newest first. */
const RETRY_MODULES = [
  { package: '@smithy/core', specifier: '@smithy/core/retry' },
  { package: '@smithy/util-retry', specifier: '@smithy/util-retry' },
] as const;

/**
 * Loads the retry module the installed `@aws-sdk/client-kms` uses and reads its table.
 * @throws Error when neither module resolves (the SDK client is a dependency of this package, so that is a broken
 * install, not a configuration to fall back from: a copied table would silently misreport).
 */
export function loadSdkRetryTable(): SdkRetryTable {
  const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('@aws-sdk/client-kms'));
  for (const candidate of RETRY_MODULES) {
    let file: string;
    try {
      file = requireFromSdk.resolve(candidate.specifier);
    } catch {
      continue;
    }
    const origin = { package: candidate.package, version: versionAbove(file, candidate.package) };
    return readSdkRetryTable(requireFromSdk(candidate.specifier), origin);
  }
  throw new Error(`@aws-sdk/client-kms resolves neither ${RETRY_MODULES.map((m) => m.specifier).join(' nor ')}`);
}

/** The SDK retry table in force in this process; `result.json` records it under `environment.sdkRetryTable`. */
export const SDK_RETRY_TABLE: Readonly<SdkRetryTable> = Object.freeze(loadSdkRetryTable());
