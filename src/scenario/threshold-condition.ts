/**
 * One threshold condition as written (`< 0.01`, `p(99) <= 5e4`, `p99 < 50ms`, `< 1%`). Which metric
 * it is about is the key's business (threshold-grammar.ts), so a time unit is parsed here but converted to the
 * metric's own unit only once the key is known ({@link inMetricUnit}).
 *
 * expression := [ stat ] comparator number [ '%' | unit ]
 * comparator := '<' | '<=' | '>' | '>=' | '==' | '!='
 * stat       := p50 | p90 | p99 | p999 | 'p(' 50|90|99|99.9 ')' | med | max | mean | avg | count   (latency only)
 * number     := decimal, optional exponent (5e4) and '_' digit separators (50_000)
 * unit       := us | µs | ms | s   (latency times only)
 *
 * `%` divides by 100 and is for ratios; the key decides whether either suffix fits its metric. Evaluating a run's
 * thresholds is the report's (src/report/thresholds.ts) and, for `abortOnFail`, the engine's as the run goes
 * (src/engine/live-figures.ts); both compare with {@link comparisonHolds}, so a comparator means the same in each.
 */
import { METRIC_NAMES, timeUnitUs } from '../metrics/metric-catalog.js';
import type { LatencyStat } from '../metrics/metric-catalog.js';
import { formatNumber } from '../base/text.js';

export const COMPARATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** Microseconds per time unit a threshold may carry; `µs` is accepted as the micro sign and as the Greek mu. */
export const TIME_UNITS = { us: 1, 'µs': 1, 'μs': 1, ms: 1_000, s: 1_000_000 } as const;
export type TimeUnit = keyof typeof TIME_UNITS;

/** A parsed condition: `p99 < 50ms` → `{ stat: 'p99', comparator: '<', value: 50, unit: 'ms' }`. */
export interface ThresholdCondition {
  readonly stat?: LatencyStat;
  readonly comparator: Comparator;
  /** The number as written (divided by 100 when written as a percentage); in `unit` when there is one. */
  readonly value: number;
  /** Whether the value was written as a percentage. */
  readonly percent: boolean;
  /** The time unit written after the number, if any. */
  readonly unit?: TimeUnit;
}

/** A parse outcome: the value, or a message saying what is wrong. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const STAT_ALIASES: Readonly<Record<string, LatencyStat>> = {
  p50: 'p50',
  'p(50)': 'p50',
  med: 'p50',
  p90: 'p90',
  'p(90)': 'p90',
  p99: 'p99',
  'p(99)': 'p99',
  p999: 'p999',
  'p(99.9)': 'p999',
  max: 'max',
  mean: 'mean',
  avg: 'mean',
  count: 'count',
};

const EXPRESSION = /^\s*(?:([A-Za-z_][\w.]*|p\(\s*[\d.]+\s*\))\s*)?(<=|>=|==|!=|<|>)\s*(\S.*?)\s*$/s;
/** The number and its suffix; the lazy number stops before the longest suffix (`50ms` is 50 ms, not `50m` s). */
const QUANTITY = /^(.*?)\s*(%|us|µs|μs|ms|s)?$/s;
const NUMBER = /^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:e[-+]?\d+)?$/i;
/** A number followed by a word that is not a unit we know (`5sec`), to name the word in the message. */
const NUMBER_WITH_WORD = /^([-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:e[-+]?\d+)?)\s*([A-Za-zµμ]\S*)$/i;
const EXPRESSION_HELP = 'expected a comparator (<, <=, >, >=, ==, !=) and a number, e.g. "< 0.01", "p99 < 50000" or "p99 < 50ms"';
const UNIT_LIST = 'us, µs, ms or s';

function parseStat(statText: string, text: string): Parsed<LatencyStat> {
  const normalized = statText.replace(/\s+/g, '');
  const stat = STAT_ALIASES[normalized];
  if (stat !== undefined) return { ok: true, value: stat };
  if (METRIC_NAMES.includes(normalized) || normalized.startsWith('latency')) {
    return { ok: false, message: `${JSON.stringify(text)}: the metric goes in the key (${normalized}: ['< …']), the expression holds the condition` };
  }
  return {
    ok: false,
    message: `unknown statistic ${JSON.stringify(statText)} in ${JSON.stringify(text)}; latency has p50, p90, p99, p999 (p(99.9)), max, mean and count`,
  };
}

/** Parses one condition such as `< 0.01`, `p(99) <= 5e4`, `p99 < 50ms` or `< 1%`. */
export function parseCondition(text: string): Parsed<ThresholdCondition> {
  const match = EXPRESSION.exec(text);
  if (match === null) return { ok: false, message: `${JSON.stringify(text)} is not a threshold expression: ${EXPRESSION_HELP}` };
  const [, statText, comparator, quantity = ''] = match;
  const stat = statText === undefined ? undefined : parseStat(statText, text);
  if (stat !== undefined && !stat.ok) return stat;
  const [, numberText = '', suffix] = QUANTITY.exec(quantity) ?? [];
  if (!NUMBER.test(numberText)) {
    const unknownUnit = NUMBER_WITH_WORD.exec(quantity);
    if (unknownUnit !== null) {
      return { ok: false, message: `${JSON.stringify(text)}: unknown unit ${JSON.stringify(unknownUnit[2])}; a latency threshold takes ${UNIT_LIST}` };
    }
    return { ok: false, message: `${JSON.stringify(text)} is not a threshold expression: ${JSON.stringify(quantity)} is not a number` };
  }
  const value = Number(numberText.replace(/_/g, ''));
  if (!Number.isFinite(value)) return { ok: false, message: `${JSON.stringify(text)}: ${numberText} is not a finite number` };
  const percent = suffix === '%';
  return {
    ok: true,
    value: {
      ...(stat === undefined ? {} : { stat: stat.value }),
      comparator: comparator as Comparator,
      value: percent ? value / 100 : value,
      percent,
      ...(suffix === undefined || percent ? {} : { unit: suffix as TimeUnit }),
    },
  };
}

/**
 * A condition's number in the unit of `metric`: `50ms` is 50,000 for `latencyUs.p99` and 50 for `latency.p99`; a
 * number without a unit is taken to be in the metric's unit already.
 * @returns the value, or a message when the condition has a time unit and the metric is not a time.
 */
export function inMetricUnit(condition: ThresholdCondition, metric: string, expression: string): Parsed<number> {
  if (condition.unit === undefined) return { ok: true, value: condition.value };
  const metricUs = timeUnitUs(metric);
  if (metricUs === undefined) {
    return {
      ok: false,
      message: `${JSON.stringify(expression)}: ${condition.unit} is a time unit, and ${metric} is not a time; units apply to latency (latencyUs.p99, latency.p99, …)`,
    };
  }
  // Rounded to 15 significant digits so a decimal such as 1.1ms converts to 1100 µs, not 1100.0000000000002
  // (which would make `==` and `<=` thresholds fail on an exact match).
  return { ok: true, value: Number(((condition.value * TIME_UNITS[condition.unit]) / metricUs).toPrecision(15)) };
}

/** Whether `observed comparator value` holds. */
export function comparisonHolds(observed: number, comparator: Comparator, value: number): boolean {
  switch (comparator) {
    case '<':
      return observed < value;
    case '<=':
      return observed <= value;
    case '>':
      return observed > value;
    case '>=':
      return observed >= value;
    case '==':
      return observed === value;
    case '!=':
      return observed !== value;
  }
}

/**
 * An observed value in the unit its threshold was written in: a ratio gated with a percentage (`< 1%`) as one
 * (`0.42%`), anything else as the number. The report's cells and the engine's abort reasons both use it.
 */
export function formatObserved(observed: number, expression: string): string {
  const condition = parseCondition(expression);
  return condition.ok && condition.value.percent ? `${formatNumber(observed * 100)}%` : formatNumber(observed);
}
