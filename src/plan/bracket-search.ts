/**
 * The search for a boundary on one numeric field: k-ary bracketing and bisection. Every step probes k values at once
 * (k = `pointsPerStep`, fixed by the plan, not by the machine, so a seed gives the same plan on any core count), and
 * narrows the bracket k+1-fold instead of bisection's 2-fold: fewer steps — and on k cores about the same wall time
 * per step as one probe — but more probes in all than a binary search (k/log2(k+1) times as many).
 * The first step probes both sides of the scenario's own value (×¼, ×1, ×4, ×16, …), since for a quota today's value
 * often fails; then bracketing grows geometrically (×2 per point) until a passing and a failing value are known, then
 * the points split the bracket evenly (geometrically while it spans more than 4×, so a wide bracket shrinks by ratio,
 * linearly after). It stops when the bracket is within the tolerance of the answer, or adjacent integers, or when
 * the 4-significant-digit rounding of probe values leaves nothing between (then the bracket may exceed the tolerance).
 *
 * Pass is assumed monotone in the value (`passes: 'below'` for a rate, `'above'` for a quota); a probe that breaks
 * monotonicity is kept, noted, and the conservative side of it taken.
 */
export interface BracketOptions {
  /** `below`: values under the boundary pass (a rate); `above`: values over it pass (a quota). */
  readonly passes: 'below' | 'above';
  /** Where the search starts: the scenario's own value. */
  readonly start: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** Stop when |fail − pass| ≤ tolerance × pass. */
  readonly tolerance: number;
  /** Values per step (≥ 2). */
  readonly pointsPerStep: number;
  /** Whether the search space was given (plan bounds): then the first step probes its ends. */
  readonly bounded: boolean;
}

/** A probed value and whether it passed. */
export interface Judged {
  readonly value: number;
  readonly ok: boolean;
}

/** Where the search stands: the bracket, or that it is over. */
export type BracketState =
  | { readonly done: false; readonly next: readonly number[] }
  | { readonly done: true; readonly pass?: number; readonly fail?: number; readonly limitedBy?: 'upper-bound' | 'lower-bound' };

/** The most steps a search takes: bracketing from 1 to 1e9 by 2^k and bisecting to 0.1% fits well within. */
export const MAX_STEPS = 60;

function round(options: BracketOptions, value: number): number {
  const clamped = Math.min(options.max, Math.max(options.min, value));
  if (options.integer) return Math.min(Math.floor(options.max), Math.max(Math.ceil(options.min), Math.round(clamped)));
  // Four significant digits: a probe at 8,437.219 req/s says nothing 8,437 does not, and reads worse.
  return Number(clamped.toPrecision(4));
}

function fresh(options: BracketOptions, values: readonly number[], probed: readonly Judged[]): number[] {
  const seen = new Set(probed.map((p) => p.value));
  const out: number[] = [];
  for (const raw of values) {
    const value = round(options, raw);
    if (!seen.has(value)) {
      seen.add(value);
      out.push(value);
    }
  }
  return out;
}

/** The bracket: the pass nearest the boundary and the fail nearest it on the conservative side. */
export function bracketOf(options: BracketOptions, probed: readonly Judged[]): { pass?: number; fail?: number; nonMonotone: boolean } {
  const below = options.passes === 'below';
  const fails = probed.filter((p) => !p.ok).map((p) => p.value);
  const passes = probed.filter((p) => p.ok).map((p) => p.value);
  const fail = fails.length === 0 ? undefined : below ? Math.min(...fails) : Math.max(...fails);
  const onSide = passes.filter((v) => fail === undefined || (below ? v < fail : v > fail));
  const pass = onSide.length === 0 ? undefined : below ? Math.max(...onSide) : Math.min(...onSide);
  return {
    ...(pass === undefined ? {} : { pass }),
    ...(fail === undefined ? {} : { fail }),
    nonMonotone: onSide.length < passes.length,
  };
}

/** Evenly spread values strictly between a and b: by ratio while they are more than 4× apart, else linearly. */
function between(a: number, b: number, count: number): number[] {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const geometric = lo > 0 && hi / lo > 4;
  return Array.from({ length: count }, (_, i) => {
    const t = (i + 1) / (count + 1);
    return geometric ? lo * (hi / lo) ** t : lo + (hi - lo) * t;
  });
}

/** The first step's values: the bounds' ends and points between them, or the start ×¼, ×1, ×4, ×16, …. */
export function firstValues(options: BracketOptions): number[] {
  const k = options.pointsPerStep;
  if (options.bounded) return fresh(options, [options.min, ...between(options.min, options.max, k - 2), options.max], []);
  return fresh(options, Array.from({ length: k }, (_, i) => options.start * 4 ** (i - 1)), []);
}

/** The next step, or the end of the search, from everything probed so far. */
export function nextStep(options: BracketOptions, probed: readonly Judged[]): BracketState {
  const k = options.pointsPerStep;
  const below = options.passes === 'below';
  const { pass, fail } = bracketOf(options, probed);
  const values = probed.map((p) => p.value);
  const lowest = Math.min(...values);
  const highest = Math.max(...values);
  if (pass === undefined) {
    // Nothing passes yet: move to the passing side (lower rates, higher quotas) until the bound.
    const edge = below ? lowest : highest;
    const bound = below ? round(options, options.min) : round(options, options.max);
    if (edge === bound) return { done: true, ...(fail === undefined ? {} : { fail }) };
    const factor = below ? 0.5 : 2;
    const next = fresh(options, Array.from({ length: k }, (_, i) => edge * factor ** (i + 1)), probed);
    return next.length === 0 ? { done: true, ...(fail === undefined ? {} : { fail }) } : { done: false, next };
  }
  if (fail === undefined) {
    // Everything passes so far: move to the failing side until the bound, where the answer is the bound itself.
    const edge = below ? highest : lowest;
    const bound = below ? round(options, options.max) : round(options, options.min);
    const limitedBy = below ? 'upper-bound' : 'lower-bound';
    if (edge === bound) return { done: true, pass, limitedBy };
    const factor = below ? 2 : 0.5;
    const next = fresh(options, Array.from({ length: k }, (_, i) => edge * factor ** (i + 1)), probed);
    return next.length === 0 ? { done: true, pass, limitedBy } : { done: false, next };
  }
  const narrow = Math.abs(fail - pass) <= options.tolerance * pass || (options.integer && Math.abs(fail - pass) <= 1);
  if (narrow) return { done: true, pass, fail };
  const next = fresh(options, between(pass, fail, k), probed).filter((v) => v !== pass && v !== fail);
  return next.length === 0 ? { done: true, pass, fail } : { done: false, next };
}
