/**
 * `lateness`: when the load generator counts a request as started late. Open workloads (arrival rates) have an
 * intended start for every request; a start past it by more than `threshold` is `late`, and when more than 1% of
 * requests are late or dropped the report says the harness, not KMS, was the limit. Kept apart from schema.ts so the
 * engine's workers read the default without loading zod.
 */

/** Above this share of late or dropped requests, the harness (not KMS) was the limit: the report says so. */
export const HARNESS_LIMIT_RATE = 0.01;

/** The quota's window: KMS counts requests "per one-second interval" (aws-kms-facts.md §1). */
const QUOTA_WINDOW_MS = 1000;

/** What a scenario may set: `threshold` (a duration), more than 0 and at most one quota window. */
export const LATENESS_LIMITS = {
  /**
   * One second: a start delay this long moves a request into another quota window entirely, so a larger threshold
   * would call on time what has already changed which window is throttled.
   */
  maxThresholdMs: QUOTA_WINDOW_MS,
} as const;

/**
 * The default threshold, {@link HARNESS_LIMIT_RATE} of a quota window: 10 ms. Why: latency is measured from the intended start whatever the threshold (no
 * coordinated omission), so lateness matters only for where a request lands in the quota's one-second windows; a start
 * d ms late can move at most d/1000 of a second's requests into the next window — 1% at 10 ms, the same 1% at which
 * the report calls a run harness-limited. Below it is scheduling noise, not a generator that fell behind: Node's timers
 * fire on a 1 ms grain, and on a loaded 2-core machine a young-generation GC pause or a burst of 64 back-to-back starts
 * (fleet-runner.ts) delays a start by 1–8 ms; the earlier fixed 5 ms flagged most wall-clock runs of such a machine.
 */
export const LATENESS_DEFAULTS = { thresholdMs: HARNESS_LIMIT_RATE * QUOTA_WINDOW_MS } as const;

/** The scenario's lateness setting, normalized. */
export interface LatenessSpec {
  /** A start more than this many ms after its intended time is late. */
  readonly thresholdMs: number;
}
