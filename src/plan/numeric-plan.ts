/**
 * The max-rate and quota searches: bracket-search.ts decides the values, probe-run.ts runs each step's values × seeds
 * as one run, and this turns what was probed into the answer: the highest passing rate (or lowest passing quota) with
 * the failing value beside it, the best probe when none passed, or the reason the search stopped.
 */
import { formatNumber } from '../base/text.js';
import { bracketOf, firstValues, MAX_STEPS, nextStep, type BracketOptions, type BracketState } from './bracket-search.js';
import { failureText, retryPhrase, valueText } from './answer-text.js';
import type { NumericQuestion } from './plan-question.js';
import type { PlanAnswer, Probe } from './plan-types.js';
import { runProbes, type ProbeContext } from './probe-run.js';
import { settingsFields, type SearchBody, type SearchSettings } from './search-settings.js';

/** Closest to passing: fewest failed objective outcomes over its seeds, then the value nearest the passing side. */
export function bestProbe(probes: readonly Probe[], passes: 'below' | 'above'): Probe | undefined {
  const failures = (p: Probe): number => p.seeds.reduce((n, s) => n + s.objectives.filter((o) => !o.ok).length, 0);
  return [...probes].sort((a, b) => failures(a) - failures(b) || (passes === 'below' ? a.value - b.value : b.value - a.value))[0];
}

function where(options: BracketOptions, probes: readonly Probe[], unit: string): string {
  if (probes.length === 0) return `starting at ${valueText(options.start, unit)}`;
  const { pass, fail } = bracketOf(options, probes);
  if (pass !== undefined && fail !== undefined) return `bracket ${formatNumber(Math.min(pass, fail))}–${formatNumber(Math.max(pass, fail))} ${unit}`;
  if (pass !== undefined) return `passes up to ${valueText(pass, unit)}, looking ${options.passes === 'below' ? 'higher' : 'lower'}`;
  return `fails at ${valueText(fail ?? options.start, unit)}, looking ${options.passes === 'below' ? 'lower' : 'higher'}`;
}

/** `(fails at 90.12; search step 0.68%)`: the bracket as it is — the boundary lies between the answer and the fail. */
function bracketText(answer: Omit<PlanAnswer, 'sentence'>): string {
  if (answer.failingValue === undefined || answer.bracketWidth === undefined) return '';
  return ` (fails at ${formatNumber(answer.failingValue)}; search step ${formatNumber(Number((answer.bracketWidth * 100).toPrecision(2)))}%)`;
}

function sentence(question: NumericQuestion, settings: SearchSettings, answer: Omit<PlanAnswer, 'sentence'>, failing: Probe | undefined): string {
  const tol = bracketText(answer);
  const value = valueText(answer.value, question.unit);
  if (question.passes === 'below') {
    const head = `${question.target} sustains ${answer.limitedBy === 'upper-bound' ? 'at least ' : ''}${value}${tol} in ${question.region}${retryPhrase(settings.retryPolicy)}`;
    if (answer.limitedBy === 'upper-bound') return `${head}: every probe up to the search's upper bound met the objectives (raise plan.rate.max to look further)`;
    return failing === undefined ? head : `${head}; above it ${failureText(failing)}`;
  }
  const growth = settings.growth === 1 ? '' : ` at ${formatNumber(settings.growth)}× the load`;
  const head = `${question.target} needs a quota of ${answer.limitedBy === 'lower-bound' ? 'at most ' : ''}${value}${tol} for the scenario${growth} to meet its objectives`;
  if (answer.limitedBy === 'lower-bound') return `${head}: every probe down to the search's lower bound passed (lower plan.quota.min to look further)`;
  return failing === undefined ? head : `${head}; below it ${failureText(failing)}`;
}

/** The answer each seed alone would give (its own pass nearest the boundary), for the seeds' spread. */
export function seedAnswers(options: BracketOptions, probes: readonly Probe[], seedCount: number): (number | undefined)[] {
  return Array.from({ length: seedCount }, (_, i) => bracketOf(options, probes.map((p) => ({ value: p.value, ok: p.seeds[i]?.ok ?? false }))).pass);
}

/**
 * What the search step does not cover: a seed is one sample of the traffic, and near the boundary another seed can
 * move it by more than the step. With one seed, say so and point to --repeat; with several, give their spread.
 */
function noiseText(spread: { min: number; max: number } | undefined, seeds: number, unit: string): string {
  if (seeds === 1) return "The search step is not the answer's precision: one seed's sampling noise is not in it; --repeat N runs N seeds and reports their spread.";
  if (spread === undefined) return `Some of the ${seeds} seeds alone would have no passing value; the answer holds for every seed.`;
  if (spread.min === spread.max) return `All ${seeds} seeds alone would give this answer on these probes: their sampling noise is within the search step.`;
  return `Each of the ${seeds} seeds alone would answer ${formatNumber(spread.min)}–${formatNumber(spread.max)} ${unit} on these probes (sampling noise); the answer holds for every seed.`;
}

/** Runs a max-rate or quota search. */
export async function runNumericSearch(question: NumericQuestion, context: ProbeContext, settings: SearchSettings): Promise<SearchBody> {
  const options: BracketOptions = {
    passes: question.passes,
    start: question.start,
    min: question.min,
    max: question.max,
    integer: question.integer,
    tolerance: settings.tolerance,
    // Fixed by the plan, not by the core count: the values probed, and so the answer, must not depend on the machine.
    pointsPerStep: settings.pointsPerStep,
    bounded: question.bounded,
  };
  const probes: Probe[] = [];
  const notes: string[] = [];
  let state: BracketState = { done: false, next: firstValues(options) };
  let stopped: string | undefined;
  for (let step = 1; !state.done; step++) {
    if (step > MAX_STEPS) {
      notes.push(`the search stopped after ${MAX_STEPS} steps without narrowing the bracket to the tolerance`);
      break;
    }
    const values = state.next;
    settings.onStep?.({ step, values: values.map((v) => valueText(v, question.unit)), seeds: settings.seeds.length, where: where(options, probes, question.unit) });
    const batch = await runProbes(context, question.field, values, (i) => valueText(values[i] ?? 0, question.unit));
    values.forEach((value, i) => {
      const seeds = batch.measures[i] ?? [];
      // A step that ended the search may hold a probe that did not complete or was harness-limited: mark them all.
      const untrusted = batch.ok ? {} : { untrusted: batch.reason };
      if (seeds.length === settings.seeds.length) probes.push({ value, step, ok: seeds.every((s) => s.ok), ...untrusted, seeds });
    });
    settings.timings.push(batch.timing);
    if (!batch.ok) {
      stopped = batch.reason;
      break;
    }
    state = nextStep(options, probes);
  }
  probes.sort((a, b) => a.value - b.value);
  const bracket = bracketOf(options, probes);
  if (bracket.nonMonotone) {
    notes.push('some probe passed beyond a failing one (the objectives are not monotone in this range, or seeds disagree near the edge); the answer is on the conservative side of the first failure');
  }
  const base = { ...settingsFields(settings), pointsPerStep: options.pointsPerStep, target: question.target, field: question.field, unit: question.unit, bounds: { min: question.min, max: question.max }, probes };
  const terminal = state.done ? state : undefined;
  if (stopped !== undefined) {
    return { ...base, state: 'incomplete', reason: stopped, outcome: 'stopped', notes: [...notes, `the search stopped: ${stopped}`] };
  }
  const pass = terminal?.pass ?? bracket.pass;
  if (pass === undefined) {
    const best = bestProbe(probes, question.passes);
    return { ...base, state: 'completed', outcome: 'none', ...(best === undefined ? {} : { best }), notes };
  }
  const fail = terminal?.fail ?? bracket.fail;
  const limitedBy = terminal?.limitedBy;
  const failing = probes.find((p) => p.value === fail);
  const bracketWidth = fail === undefined ? undefined : Math.abs(fail - pass) / pass;
  if (bracketWidth !== undefined && bracketWidth > settings.tolerance) {
    // Probe values are rounded to 4 significant digits (or whole numbers): a tighter tolerance cannot be met.
    notes.push(
      `the final bracket (${formatNumber(Number((bracketWidth * 100).toPrecision(2)))}%) is wider than the tolerance ` +
        `(${formatNumber(settings.tolerance * 100)}%): probe values are rounded to ${question.integer ? 'whole numbers' : '4 significant digits'}, so no value lies between`,
    );
  }
  const answers = seedAnswers(options, probes, settings.seeds.length);
  const found = answers.filter((v): v is number => v !== undefined);
  const seedSpread = settings.seeds.length > 1 && found.length === answers.length ? { min: Math.min(...found), max: Math.max(...found) } : undefined;
  const core = {
    value: pass,
    ...(fail === undefined || bracketWidth === undefined ? {} : { failingValue: fail, bracketWidth }),
    ...(limitedBy === undefined ? {} : { limitedBy }),
    ...(seedSpread === undefined ? {} : { seedSpread }),
  };
  const noise = fail === undefined ? undefined : noiseText(seedSpread, settings.seeds.length, question.unit);
  return {
    ...base,
    state: 'completed',
    outcome: 'found',
    answer: { ...core, sentence: sentence(question, settings, core, failing), ...(noise === undefined ? {} : { noise }) },
    notes,
  };
}
