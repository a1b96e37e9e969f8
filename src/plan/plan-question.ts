/**
 * What a plan searches, checked against the scenario before any probe runs: the field a probe sets, where the search
 * starts, its bounds, and the overrides every probe shares. Every problem is an exit-2 {@link PlanInputError} naming
 * the option or field at fault, so a plan that cannot hold an answer never starts.
 */
import { isQuotaBucket, QUOTA_BUCKETS } from '../quota/buckets.js';
import { resolveQuotaPerSec } from '../quota/profiles.js';
import { didYouMean, listOf } from '../base/text.js';
import type { PlanBlock } from '../scenario/plan-block.js';
import type { FleetSpec, Scenario } from '../scenario/types.js';
import { PlanInputError } from './plan-errors.js';
import type { PlanGoal } from './plan-types.js';

/** A numeric search's field and space. */
export interface NumericQuestion {
  readonly kind: 'numeric';
  readonly target: string;
  /** The matrix path a probe sets. */
  readonly field: string;
  readonly unit: string;
  readonly start: number;
  readonly min: number;
  readonly max: number;
  readonly bounded: boolean;
  readonly integer: boolean;
  readonly passes: 'below' | 'above';
  /** The fleet whose figures probes record; undefined for the whole scenario. */
  readonly fleet: string | undefined;
  /** Overrides every probe adds (load growth). */
  readonly sets: readonly string[];
  /** The region the answer is about. */
  readonly region: string;
}

/** A cache search's fleet, bounds and the cache fields it keeps as written. */
export interface CacheQuestion {
  readonly kind: 'cache';
  readonly target: string;
  readonly field: string;
  readonly fleet: string;
  readonly maxMessagesPerKey: number;
  readonly maxKeyAgeMs: number;
  readonly capacities: readonly number[];
  /** The fleet's cache fields other than the three searched (partition, dedupeInFlight, maxBytesEncrypted). */
  readonly kept: Readonly<Record<string, unknown>>;
  readonly region: string;
}

/** What the command line (or a library caller) asks. */
export interface PlanQuestionInput {
  readonly goal: PlanGoal;
  readonly fleet?: string;
  readonly bucket?: string;
  readonly growth?: number;
}

/** Default search space around the scenario's own value when the `plan:` block gives none: 1/1024× to 64×. */
export const DEFAULT_SPAN = { down: 1024, up: 64 } as const;

function findFleet(scenario: Scenario, name: string | undefined, option: string): FleetSpec {
  const names = scenario.fleets.map((fleet) => fleet.name);
  if (name === undefined) {
    if (scenario.fleets.length === 1 && scenario.fleets[0] !== undefined) return scenario.fleets[0];
    throw new PlanInputError([`${option} is required: the scenario has fleets ${listOf(names, 'and')}`]);
  }
  const fleet = scenario.fleets.find((f) => f.name === name);
  if (fleet === undefined) throw new PlanInputError([`${option}: unknown fleet ${JSON.stringify(name)}${didYouMean(name, names)}; fleets are ${listOf(names)}`]);
  return fleet;
}

function rangeOf(block: PlanBlock['rate'], start: number, integer: boolean, path: string): { min: number; max: number; bounded: boolean } {
  // A one-sided bound moves the default other end with it, so `min: 5000` over a start of 50 still leaves a range.
  const min = block?.min ?? (integer ? 1 : Math.min(start, block?.max ?? start) / DEFAULT_SPAN.down);
  const max = block?.max ?? Math.max(start, block?.min ?? start) * DEFAULT_SPAN.up;
  if (!(min < max)) throw new PlanInputError([`${path}: min ${min} is not below max ${max}: the search has no range`]);
  if (integer && Math.floor(max) < Math.max(1, Math.ceil(min))) {
    throw new PlanInputError([`${path}: no whole number lies between min ${min} and max ${max}`]);
  }
  return { min: integer ? Math.max(1, min) : min, max, bounded: block?.min !== undefined && block.max !== undefined };
}

function maxRateQuestion(scenario: Scenario, input: PlanQuestionInput, block: PlanBlock): NumericQuestion {
  const fleet = findFleet(scenario, input.fleet, '--fleet');
  const workload = fleet.workload;
  const base = { kind: 'numeric' as const, target: fleet.name, passes: 'below' as const, fleet: fleet.name, sets: [], region: fleet.region };
  if (workload.model === 'open') {
    if (workload.stages.length > 0) {
      throw new PlanInputError([`fleets.${fleet.name}.workload.stages: a staged workload has no single rate to search; plan a constant arrivalRate`]);
    }
    const start = workload.arrivalRatePerSec > 0 ? workload.arrivalRatePerSec : 100;
    const range = rangeOf(block.rate, start, false, 'plan.rate');
    return { ...base, field: `fleets.${fleet.name}.workload.arrivalRate`, unit: 'req/s', start: clamp(start, range), ...range, integer: false };
  }
  const range = rangeOf(block.rate, workload.clients, true, 'plan.rate');
  return { ...base, field: `fleets.${fleet.name}.workload.clients`, unit: 'clients', start: clamp(workload.clients, range), ...range, integer: true };
}

function clamp(value: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, value));
}

/** `--growth 3x` as overrides scaling every fleet's load: open rates and stage targets, closed client counts. */
function growthSets(scenario: Scenario, growth: number): string[] {
  if (growth === 1) return [];
  return scenario.fleets.flatMap((fleet) => {
    const w = fleet.workload;
    if (w.model === 'closed') return [`fleets.${fleet.name}.workload.clients=${Math.max(1, Math.round(w.clients * growth))}`];
    const stages = w.stages.map((stage, i) => `fleets.${fleet.name}.workload.stages[${i}].target=${stage.targetRatePerSec * growth}`);
    return [`fleets.${fleet.name}.workload.arrivalRate=${w.arrivalRatePerSec * growth}`, ...stages];
  });
}

function quotaQuestion(scenario: Scenario, input: PlanQuestionInput, block: PlanBlock): NumericQuestion {
  const text = input.bucket ?? '';
  const [region = '', bucket = ''] = text.split('/');
  const regions = [...new Set(scenario.fleets.map((fleet) => fleet.region))];
  const problems: string[] = [];
  if (input.bucket === undefined) problems.push('--bucket is required with --find quota, e.g. --bucket us-east-1/symmetric');
  else if (!/^[^/]+\/[^/]+$/.test(text)) problems.push(`--bucket ${JSON.stringify(text)}: expected region/bucket, e.g. us-east-1/symmetric`);
  else {
    if (!regions.includes(region)) problems.push(`--bucket ${JSON.stringify(text)}: no fleet calls from region ${JSON.stringify(region)}${didYouMean(region, regions)}; fleets call from ${listOf(regions)}`);
    if (!isQuotaBucket(bucket)) problems.push(`--bucket ${JSON.stringify(text)}: unknown quota bucket ${JSON.stringify(bucket)}${didYouMean(bucket, QUOTA_BUCKETS)}; e.g. symmetric, rsa, ecc`);
  }
  if (problems.length > 0) throw new PlanInputError(problems);
  const current = resolveQuotaPerSec(scenario.quotas.profile, region, bucket, scenario.quotas.overrides);
  const growth = input.growth ?? 1;
  // The load grows by `growth`, so the quota it needs starts near today's × growth, not today's.
  const start = (Number.isFinite(current) ? current : 1000) * growth;
  const integer = start >= 10;
  const range = rangeOf(block.quota, start, integer, 'plan.quota');
  return {
    kind: 'numeric',
    target: `${region}/${bucket}`,
    field: `quotas.overrides.${region}.${bucket}`,
    unit: 'req/s',
    start: clamp(start, range),
    ...range,
    integer,
    passes: 'above',
    fleet: undefined,
    sets: growthSets(scenario, growth),
    region,
  };
}

function cacheQuestion(scenario: Scenario, input: PlanQuestionInput, block: PlanBlock): CacheQuestion {
  const fleet = findFleet(scenario, input.fleet, '--fleet');
  const problems: string[] = [];
  if (!fleet.mix.some((entry) => entry.op === 'envelopeEncrypt')) {
    problems.push(`--fleet ${fleet.name}: its mix has no envelopeEncrypt, so a data-key cache changes nothing it does`);
  }
  if (fleet.client === 'esdk') problems.push(`--fleet ${fleet.name}: a client: esdk cache exposes no counters to weigh; plan with client: direct`);
  if (block.cache === undefined) {
    problems.push('plan.cache: --find cache needs the security limits in the scenario, e.g. plan: { cache: { maxMessagesPerKey: 1000, maxKeyAge: 5m } }');
  }
  if (problems.length > 0 || block.cache === undefined) throw new PlanInputError(problems);
  const written = scenario.document['fleets'];
  const doc = Array.isArray(written) ? (written as unknown[]).find((f) => (f as { name?: unknown }).name === fleet.name) : undefined;
  const cache = (doc as { cache?: unknown } | undefined)?.cache;
  const kept = typeof cache === 'object' && cache !== null ? { ...(cache as Record<string, unknown>) } : {};
  for (const field of ['maxMessagesEncrypted', 'maxAge', 'capacity']) delete kept[field];
  return {
    kind: 'cache',
    target: fleet.name,
    field: `fleets.${fleet.name}.cache`,
    fleet: fleet.name,
    maxMessagesPerKey: block.cache.maxMessagesPerKey,
    maxKeyAgeMs: block.cache.maxKeyAge,
    capacities: block.cache.capacity ?? [fleet.cache?.capacity ?? 100],
    kept,
    region: fleet.region,
  };
}

/** Checks the question against the scenario and says what to search. */
export function planQuestion(scenario: Scenario, input: PlanQuestionInput, block: PlanBlock): NumericQuestion | CacheQuestion {
  const axes = scenario.matrix.filter((axis) => axis.values.length > 1);
  if (axes.length > 0) {
    throw new PlanInputError([
      `matrix: a plan searches one configuration, and the scenario's matrix varies ${listOf(axes.map((a) => a.path), 'and')}; ` +
        `pin each axis with --set 'matrix.<axis>=[value]'`,
    ]);
  }
  if (scenario.durationMs < 1000) throw new PlanInputError([`duration: a probe needs at least one whole quota window (1 s); got ${scenario.durationMs} ms`]);
  if (input.growth !== undefined && input.goal !== 'quota') throw new PlanInputError(['--growth applies to --find quota only']);
  if (input.bucket !== undefined && input.goal !== 'quota') throw new PlanInputError(['--bucket applies to --find quota only']);
  switch (input.goal) {
    case 'max-rate':
      return maxRateQuestion(scenario, input, block);
    case 'quota':
      return quotaQuestion(scenario, input, block);
    case 'cache':
      return cacheQuestion(scenario, input, block);
  }
}
