/**
 * The threshold grammar, after k6's thresholds: a scenario maps a metric to a list of conditions.
 *
 * ```yaml
 * thresholds:
 *   throttleRate: ['< 0.01']                    # every variant, whole variant
 *   latencyUs.p99: ['< 50000']                  # µs, the unit results record
 *   latency.p99: ['< 50']                       # the same gate in ms
 *   latencyUs: ['p99 < 50ms', 'p(50) < 5000']   # the statistic in the expression, as k6 writes it; units convert
 *   fleets.web.ops.Encrypt.goodputPerSec: '> 100'
 *   kmsCallsPerOp: ['<= 0.05']
 *   costUsdPerMonth: ['< 200']
 *   'throttleRate{retry=full-jitter}': ['< 1%'] # only the variants with that matrix value
 * ```
 *
 * key        := [ 'fleets.' fleet '.' [ 'ops.' Operation '.' ] ] metric [ '{' axis '=' value { ',' axis '=' value } '}' ]
 * expression := [ stat ] comparator number [ '%' | unit ]      (threshold-condition.ts)
 *
 * A selector names matrix values exactly as variant names show them (`retry=full-jitter`, `quotas.profile=kms-2019`),
 * `*` matching any characters (`retry=*jitter`); a threshold without one applies to every variant. `%` divides by 100
 * and is allowed on ratios only; a time unit (us, µs, ms, s) on latency times only, converted to the metric's unit.
 */
import {
  isLatencyFamily,
  isVariantMetric,
  LATENCY_FAMILIES,
  LATENCY_STATS,
  metricInfo,
  METRIC_NAMES,
  splitMetricPath,
  summaryMetric,
} from '../metrics/metric-catalog.js';
import type { MetricRef } from '../metrics/metric-catalog.js';
import { didYouMean as suggest, listOf } from '../base/text.js';
import { inMetricUnit, parseCondition } from './threshold-condition.js';
import { LIVE_ABORT_METRICS, LIVE_COUNT_METRICS, LIVE_INFLATED_METRICS } from './threshold-aborts.js';
import type { Comparator, Parsed, ThresholdCondition } from './threshold-condition.js';
import { selectionMatches, splitSelection } from './threshold-selector.js';
import type { AxisSelection } from './threshold-selector.js';

export { COMPARATORS, parseCondition, TIME_UNITS } from './threshold-condition.js';
export type { Comparator, ThresholdCondition, TimeUnit } from './threshold-condition.js';
export { selectionMatches, splitSelection } from './threshold-selector.js';
export type { AxisSelection } from './threshold-selector.js';

/** A parsed key: the scoped metric (its name may lack the latency statistic) and the variant selector. */
export interface ThresholdKey {
  readonly ref: MetricRef;
  /** Empty for every variant. */
  readonly selector: readonly AxisSelection[];
}

/** A threshold ready to evaluate: one key and one of its expressions. */
export interface CompiledThreshold {
  /** The key as written. */
  readonly key: string;
  /** The expression as written. */
  readonly expression: string;
  /** The metric with its statistic resolved: `latencyUs` + `p99 < …` → `latencyUs.p99`. */
  readonly ref: MetricRef;
  readonly comparator: Comparator;
  /** The bound in the metric's unit (`< 50ms` on `latencyUs.p99` → 50,000). */
  readonly value: number;
  readonly selector: readonly AxisSelection[];
}

/** What a scenario offers to check threshold keys against. */
export interface ThresholdContext {
  /** Fleet name → the operations of its mix. */
  readonly fleets: ReadonlyMap<string, readonly string[]>;
  /** Every operation name a mix can have. */
  readonly operations: readonly string[];
  /** Matrix axes with their values rendered as variant names show them. */
  readonly axes: readonly { readonly path: string; readonly values: readonly string[] }[];
}

/** A problem with a threshold, at a path relative to `thresholds`: `[key]` or `[key, index]`. */
export interface ThresholdProblem {
  readonly segments: readonly (string | number)[];
  readonly message: string;
}

/** Splits a key into its metric path and selector text (without checking names). */
function splitKey(key: string): Parsed<{ path: string; selector: string | undefined }> {
  const brace = key.indexOf('{');
  if (brace < 0) return { ok: true, value: { path: key.trim(), selector: undefined } };
  if (!key.trimEnd().endsWith('}')) return { ok: false, message: 'a variant selector must close with "}": metric{axis=value}' };
  return { ok: true, value: { path: key.slice(0, brace).trim(), selector: key.trimEnd().slice(brace + 1, -1).trim() } };
}

/** Metric names for messages: the latency statistics folded into one entry per family, so the list stays readable. */
const METRIC_LIST: readonly string[] = [
  ...METRIC_NAMES.filter((name) => !LATENCY_FAMILIES.some((family) => name.startsWith(`${family}.`))),
  ...LATENCY_FAMILIES.map((family) => `${family}.<${LATENCY_STATS.join('|')}>`),
];

/** Checks a metric path's scope and name against the scenario. */
function checkRef(ref: MetricRef, context: ThresholdContext | undefined): string | undefined {
  if (ref.fleet !== undefined && context !== undefined) {
    const fleets = [...context.fleets.keys()];
    const ops = context.fleets.get(ref.fleet);
    if (ops === undefined) return `unknown fleet ${JSON.stringify(ref.fleet)}${suggest(ref.fleet, fleets)}; fleets are ${listOf(fleets)}`;
    if (ref.operation !== undefined && !ops.includes(ref.operation)) {
      const known = context.operations.includes(ref.operation);
      return known
        ? `fleet ${JSON.stringify(ref.fleet)} does not call ${ref.operation}; its operations are ${listOf([...new Set(ops)])}`
        : `unknown operation ${JSON.stringify(ref.operation)}${suggest(ref.operation, [...new Set(ops)])}; fleet "${ref.fleet}" calls ${listOf([...new Set(ops)])}`;
    }
  }
  if (isLatencyFamily(ref.metric)) return undefined;
  if (summaryMetric(ref.metric) !== undefined) return undefined;
  if (isVariantMetric(ref.metric)) {
    return ref.fleet === undefined ? undefined : `${ref.metric} is measured for a whole variant, not per fleet or operation; write "${ref.metric}"`;
  }
  const family = LATENCY_FAMILIES.find((name) => ref.metric.startsWith(`${name}.`));
  if (family !== undefined) {
    return `unknown latency statistic ${JSON.stringify(ref.metric.slice(family.length + 1))}; ${family} has ${listOf(LATENCY_STATS.map(String))}`;
  }
  return `unknown metric ${JSON.stringify(ref.metric)}${suggest(ref.metric, METRIC_NAMES)}; metrics are ${listOf(METRIC_LIST)}`;
}

/**
 * Parses a key: its metric scope and name, and its selector. `context` enables the checks against the scenario;
 * without it, `axes` (the matrix axis names) are what selectors are split by.
 */
export function parseThresholdKey(key: string, context?: ThresholdContext, axisNames: readonly string[] = []): Parsed<ThresholdKey> {
  const split = splitKey(key);
  if (!split.ok) return split;
  const { path, selector } = split.value;
  if (path === '') return { ok: false, message: 'names no metric' };
  const ref = splitMetricPath(path);
  if (path.startsWith('fleets.') && ref.fleet === undefined) {
    return { ok: false, message: `${JSON.stringify(path)}: a fleet metric is fleets.<fleet>.<metric> or fleets.<fleet>.ops.<Operation>.<metric>` };
  }
  const problem = checkRef(ref, context);
  if (problem !== undefined) return { ok: false, message: problem };
  if (selector === undefined) return { ok: true, value: { ref, selector: [] } };
  if (selector === '') return { ok: false, message: 'an empty selector {} selects nothing; leave it out for every variant' };
  const axes = context?.axes.map((axis) => axis.path) ?? axisNames;
  const pairs = splitSelection(selector, axes);
  if (!pairs.ok) return pairs;
  if (context === undefined) return { ok: true, value: { ref, selector: pairs.value } };
  for (const pair of pairs.value) {
    const values = context.axes.find((axis) => axis.path === pair.axis)?.values ?? [];
    if (!values.some((value) => selectionMatches(pair.value, value))) {
      return {
        ok: false,
        message: `no variant has ${pair.axis}=${pair.value}${suggest(pair.value, values)}; ${pair.axis} takes ${listOf([...values])}`,
      };
    }
  }
  return { ok: true, value: { ref, selector: pairs.value } };
}

/** Combines a key and a condition into the metric to evaluate and the bound in its unit, or says why they do not fit. */
function combine(key: ThresholdKey, condition: ThresholdCondition, expression: string): Parsed<{ ref: MetricRef; value: number }> {
  let metric = key.ref.metric;
  if (condition.stat !== undefined) {
    if (!isLatencyFamily(metric)) {
      return { ok: false, message: `${JSON.stringify(expression)}: a statistic applies to latencyUs and latency only, not to ${metric}` };
    }
    metric = `${metric}.${condition.stat}`;
  } else if (isLatencyFamily(metric)) {
    const example = metric === 'latencyUs' ? '"p99 < 50000"' : '"p99 < 50"';
    return { ok: false, message: `${JSON.stringify(expression)}: ${metric} needs a statistic, e.g. ${example} (or key ${metric}.p99)` };
  }
  if (condition.percent && metricInfo(metric)?.unit !== 'ratio') {
    return { ok: false, message: `${JSON.stringify(expression)}: % applies to ratios (throttleRate, failureRate, …), not to ${metric}` };
  }
  const value = inMetricUnit(condition, metric, expression);
  if (!value.ok) return value;
  return { ok: true, value: { ref: { ...key.ref, metric }, value: value.value } };
}

/** One expression as written: a string, or `{ threshold, abortOnFail, delayAbortEval }` (threshold-aborts.ts). */
function expressionOf(item: unknown): { text: string; aborts: boolean } | undefined {
  if (typeof item === 'string') return { text: item, aborts: false };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const { threshold, abortOnFail } = item as Record<string, unknown>;
  return typeof threshold === 'string' ? { text: threshold, aborts: abortOnFail === true } : undefined;
}

/** A threshold value as written: one expression or a list of them. */
function expressionsOf(raw: unknown): { text: string; aborts: boolean; index: number | undefined }[] {
  if (!Array.isArray(raw)) {
    const one = expressionOf(raw);
    return one === undefined ? [] : [{ ...one, index: undefined }];
  }
  return raw.flatMap((item, index) => {
    const one = expressionOf(item);
    return one === undefined ? [] : [{ ...one, index }];
  });
}

/** Why a threshold cannot abort a run while it goes, or undefined when it can. */
function abortProblem(ref: MetricRef, comparator: Comparator): string | undefined {
  if (ref.operation !== undefined) return 'abortOnFail applies to a whole variant or a fleet, not to one operation';
  if (LIVE_INFLATED_METRICS.includes(ref.metric)) {
    return `abortOnFail cannot judge ${ref.metric} while the run goes: attempts include the retries of operations still in flight, which are not completed yet, so the figure runs high until the end; it is judged at the end only`;
  }
  if (LIVE_COUNT_METRICS.includes(ref.metric) && (comparator === '>' || comparator === '>=')) {
    return `abortOnFail cannot use a lower bound (${comparator}) on ${ref.metric}: a count only grows during a run, so it fails at the first check; a lower bound can only be judged at the end (drop abortOnFail)`;
  }
  if (LIVE_ABORT_METRICS.includes(ref.metric)) return undefined;
  return `abortOnFail needs a metric counted while the run goes (${listOf([...LIVE_ABORT_METRICS])}); ${ref.metric} is known only at the end`;
}

/**
 * Every problem of a `thresholds` block, each at its path under `thresholds`. Entries of the wrong type are left to
 * the schema.
 */
export function thresholdProblems(thresholds: unknown, context: ThresholdContext): ThresholdProblem[] {
  if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) return [];
  const problems: ThresholdProblem[] = [];
  for (const [key, raw] of Object.entries(thresholds as Record<string, unknown>)) {
    const parsedKey = parseThresholdKey(key, context);
    if (!parsedKey.ok) {
      problems.push({ segments: [key], message: parsedKey.message });
      continue;
    }
    const expressions = expressionsOf(raw);
    if (Array.isArray(raw) && raw.length === 0) problems.push({ segments: [key], message: 'has no expression; give at least one, e.g. "< 0.01"' });
    for (const { text, aborts, index } of expressions) {
      const at = index === undefined ? [key] : [key, index];
      const condition = parseCondition(text);
      if (!condition.ok) {
        problems.push({ segments: at, message: condition.message });
        continue;
      }
      const combined = combine(parsedKey.value, condition.value, text);
      if (!combined.ok) problems.push({ segments: at, message: combined.message });
      const cannotAbort = aborts && combined.ok ? abortProblem(combined.value.ref, condition.value.comparator) : undefined;
      if (cannotAbort !== undefined) problems.push({ segments: [...at, 'abortOnFail'], message: cannotAbort });
    }
  }
  return problems;
}

/** Thrown by {@link compileThresholds} for a threshold that does not parse (a scenario validator reports these first). */
export class ThresholdError extends Error {
  override readonly name = 'ThresholdError';
}

/**
 * Compiles a validated scenario's thresholds for evaluation. `axes` are the matrix axis names (to split selectors).
 * @throws ThresholdError for a key or expression that does not parse.
 */
export function compileThresholds(
  thresholds: Readonly<Record<string, readonly string[]>>,
  axes: readonly string[] = [],
): CompiledThreshold[] {
  const compiled: CompiledThreshold[] = [];
  for (const [key, expressions] of Object.entries(thresholds)) {
    const parsedKey = parseThresholdKey(key, undefined, axes);
    if (!parsedKey.ok) throw new ThresholdError(`thresholds[${JSON.stringify(key)}]: ${parsedKey.message}`);
    const selector = parsedKey.value.selector;
    for (const expression of expressions) {
      const condition = parseCondition(expression);
      if (!condition.ok) throw new ThresholdError(`thresholds[${JSON.stringify(key)}]: ${condition.message}`);
      const combined = combine(parsedKey.value, condition.value, expression);
      if (!combined.ok) throw new ThresholdError(`thresholds[${JSON.stringify(key)}]: ${combined.message}`);
      compiled.push({ key, expression, ref: combined.value.ref, comparator: condition.value.comparator, value: combined.value.value, selector });
    }
  }
  return compiled;
}
