/**
 * Evaluating a scenario's thresholds (grammar: src/scenario/threshold-grammar.ts) against a run's variants, at the end
 * of the run. Each (threshold expression, selected variant) pair gives one outcome; any failed outcome makes `run`
 * exit 1.
 */
import { metricPath } from '../metrics/metric-catalog.js';
import { comparisonHolds, formatObserved } from '../scenario/threshold-condition.js';
import { compileThresholds, selectionMatches, splitSelection } from '../scenario/threshold-grammar.js';
import type { AxisSelection } from '../scenario/threshold-grammar.js';
import { readMetric } from './metric-values.js';
import type { ThresholdOutcome, VariantResult } from './result-types.js';

function selects(selector: readonly AxisSelection[], variant: VariantResult, axes: readonly string[]): boolean {
  if (selector.length === 0) return true;
  const named = splitSelection(variant.name, axes);
  if (!named.ok) return false;
  return selector.every((want) => named.value.some((have) => have.axis === want.axis && selectionMatches(want.value, have.value)));
}

/**
 * Evaluates thresholds against variants. A fleet or operation with no data in a variant fails rather than passing
 * silently: a gate on something that did not run has not been met.
 * @throws ThresholdError for a threshold that does not parse (validated scenarios never have one).
 */
export function evaluateThresholds(
  thresholds: Readonly<Record<string, readonly string[]>>,
  variants: readonly VariantResult[],
): ThresholdOutcome[] {
  const axes = Object.keys(variants[0]?.values ?? {});
  const outcomes: ThresholdOutcome[] = [];
  for (const threshold of compileThresholds(thresholds, axes)) {
    const metric = metricPath(threshold.ref);
    const selected = variants.filter((variant) => selects(threshold.selector, variant, axes));
    if (selected.length === 0) {
      outcomes.push({ key: threshold.key, expression: threshold.expression, metric, variant: '', observed: null, ok: false, note: 'no variant it selects ran' });
      continue;
    }
    for (const variant of selected) {
      const observed = readMetric(variant, threshold.ref);
      const base = { key: threshold.key, expression: threshold.expression, metric, variant: variant.name };
      if (observed === undefined) {
        const where = threshold.ref.fleet === undefined ? 'this variant' : metricPath({ ...threshold.ref, metric: '' }).replace(/\.$/, '');
        outcomes.push({ ...base, observed: null, ok: false, note: `no data for ${where}` });
      } else {
        outcomes.push({ ...base, observed, ok: comparisonHolds(observed, threshold.comparator, threshold.value) });
      }
    }
  }
  return outcomes;
}

/** `metric expression` as one readable condition: `latencyUs.p99 < 50000`. */
export function describeThreshold(outcome: Pick<ThresholdOutcome, 'metric' | 'expression'>): string {
  const condition = outcome.expression.trim().replace(/^(p\(\s*[\d.]+\s*\)|[A-Za-z_][\w.]*)\s*/, '');
  return `${outcome.metric} ${condition}`;
}

/**
 * The observed value as a cell: the number, or why there is none. A ratio gated with a percentage (`< 1%`) is shown as
 * one (`0.42%`), so the figure reads in the unit of the bound it is checked against rather than as `0.0042`.
 */
export function describeObserved(outcome: Pick<ThresholdOutcome, 'observed' | 'note' | 'expression'>): string {
  if (outcome.observed === null) return outcome.note ?? 'no data';
  return formatObserved(outcome.observed, outcome.expression);
}

/** Counts of passed and failed outcomes. */
export function thresholdTally(outcomes: readonly ThresholdOutcome[]): { passed: number; failed: number } {
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  return { passed: outcomes.length - failed, failed };
}

/** The terminal's threshold block: one ✓/✗ line per outcome with the observed value. */
export function formatThresholdLines(outcomes: readonly ThresholdOutcome[], multipleVariants: boolean): string[] {
  if (outcomes.length === 0) return [];
  const { passed, failed } = thresholdTally(outcomes);
  const lines = [`thresholds: ${passed} passed, ${failed} failed`];
  const conditions = outcomes.map(describeThreshold);
  const width = Math.max(...conditions.map((c) => c.length));
  outcomes.forEach((outcome, index) => {
    const variant = multipleVariants && outcome.variant !== '' ? `  [${outcome.variant}]` : '';
    lines.push(`  ${outcome.ok ? '✓' : '✗'} ${(conditions[index] ?? '').padEnd(width)}  observed ${describeObserved(outcome)}${variant}`);
  });
  return lines;
}
