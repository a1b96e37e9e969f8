/**
 * Thresholds that end a run early, after k6's `abortOnFail`: a threshold written as an object
 *
 * ```yaml
 * thresholds:
 *   throttleRate: [{ threshold: '< 0.05', abortOnFail: true, delayAbortEval: 10s }]
 * ```
 *
 * is evaluated on the running totals as each second of the run ends (once `delayAbortEval` of run time has passed),
 * and the first time it fails the run stops: the result is incomplete, names the threshold, and `run` exits 1. Only
 * metrics counted as the run goes can abort it — counts and the ratios of counts. Latency percentiles and goodput per
 * second are figures of the whole run (percentiles cannot be added across workers from counters), so an
 * `abortOnFail` on them is refused at validation rather than evaluated on a number the run cannot support.
 */
/** A threshold with `abortOnFail: true`, as the scenario gives it (grammar checked with the other thresholds). */
export interface ThresholdAbort {
  /** The threshold's key as written (`throttleRate`, `fleets.web.failureRate{retry=none}`). */
  readonly key: string;
  /** The expression as written (`< 0.05`). */
  readonly expression: string;
  /** Run time before the first evaluation, ms (`delayAbortEval`; default 0). */
  readonly delayAbortEvalMs: number;
}

/** Running totals of a fleet or a whole variant, as the live view counts them. */
export interface LiveTotals {
  readonly offered: number;
  readonly attempts: number;
  readonly throttled: number;
  readonly succeeded: number;
  /** Operations finished, succeeded or failed. */
  readonly completed: number;
  readonly dropped: number;
  readonly retries: number;
  /** Operations a policy refused (AccessDeniedException). */
  readonly denied: number;
}

const ratio = (part: number, whole: number): number | undefined => (whole > 0 ? part / whole : undefined);

/** The metrics an `abortOnFail` threshold may name, and how each is read off the running totals. */
const LIVE_METRICS: Readonly<Record<string, (t: LiveTotals) => number | undefined>> = {
  offered: (t) => t.offered,
  completed: (t) => t.completed,
  succeeded: (t) => t.succeeded,
  attempts: (t) => t.attempts,
  throttled: (t) => t.throttled,
  retries: (t) => t.retries,
  failedTotal: (t) => t.completed - t.succeeded,
  dropped: (t) => t.dropped,
  throttleRate: (t) => ratio(t.throttled, t.attempts),
  failureRate: (t) => ratio(t.completed - t.succeeded, t.completed),
  denied: (t) => t.denied,
  // A denial is answered at once and never retried, so denied ÷ completed is as honest mid-run as at the end.
  deniedRate: (t) => ratio(t.denied, t.completed),
};

/**
 * Counts: they only grow while a run goes, so a lower bound (`> 100`) fails at the first check and can only be judged
 * at the end.
 */
export const LIVE_COUNT_METRICS: readonly string[] = [
  'offered',
  'completed',
  'succeeded',
  'attempts',
  'throttled',
  'retries',
  'failedTotal',
  'dropped',
  'denied',
];

/**
 * Ratios with no honest figure while the run goes: attempts include the retries of operations still in flight, which
 * `completed` does not count yet, so attempts ÷ completed runs high until the run drains.
 */
export const LIVE_INFLATED_METRICS: readonly string[] = ['attemptsPerOp', 'kmsCallsPerOp'];

/** Metric names `abortOnFail` accepts. */
export const LIVE_ABORT_METRICS: readonly string[] = Object.keys(LIVE_METRICS);

/** A metric's value on running totals; undefined when there is nothing to divide by yet (never a reason to abort). */
export function liveMetricValue(metric: string, totals: LiveTotals): number | undefined {
  return LIVE_METRICS[metric]?.(totals);
}
