/**
 * `faults:` — failures a `kms-bench serve` endpoint injects on top of the model, for staging tests beyond throttling:
 * a share of requests answered with an internal error, added latency, and throttling at a lower rate than the quota,
 * each limited to operations, keys and a time window since the server started. The same schema judges the admin
 * endpoint's `PUT /admin/faults` body, so a rule changed at run time gets the messages a file gets.
 *
 * ```yaml
 * faults:
 *   - { operations: [Decrypt], from: 60s, until: 120s, throttlePerSec: 10 }   # "Decrypt throttles at 10/s"
 *   - { operations: [Encrypt], error: KMSInternalException, rate: 0.01 }
 *   - { keys: [app], latency: { distribution: lognormal, medianMs: 50, p99Ms: 400 }, rate: 0.5 }
 * ```
 */
import * as z from 'zod';
import { KMS_OPERATIONS } from '../kms/types.js';
import { listOf } from '../base/text.js';
import { renderPath, type PathSegment } from './errors.js';
import { scenarioErrorMap, zodFindings } from './issues.js';
import { latencySchema } from './schema-latency.js';
import { across, duration, strict } from './schema-helpers.js';
import type { ServiceLatencySpec } from '../workload/service-latency.js';

/**
 * The errors a rule can inject: KMS's retryable service-side failures (aws-kms-facts.md §2: 500 for
 * KMSInternalException and KeyUnavailableException, 503 for DependencyTimeoutException) and ThrottlingException.
 */
export const FAULT_ERRORS = ['KMSInternalException', 'DependencyTimeoutException', 'KeyUnavailableException', 'ThrottlingException'] as const;
/** An error a fault rule injects. */
export type FaultError = (typeof FAULT_ERRORS)[number];

/** One fault rule, normalized: which requests it matches, when, and what it does to them. */
export interface FaultRule {
  /** KMS operations it applies to; absent: every operation. */
  readonly operations?: readonly string[];
  /** Keys it applies to (scenario key names, key ids, key ARNs, alias names); absent: every request. */
  readonly keys?: readonly string[];
  /** Milliseconds after the server started when the rule begins (default 0) and ends (default never), `[from, until)`. */
  readonly fromMs: number;
  readonly untilMs?: number;
  /** The error to answer with. */
  readonly error?: FaultError;
  /** Latency added before answering. */
  readonly latency?: ServiceLatencySpec;
  /** Share of matching requests given the error and the latency, 0..1 (default 1). */
  readonly rate: number;
  /** Matching requests beyond this many in a one-second window are throttled (as KMS's fixed windows do). */
  readonly throttlePerSec?: number;
}

const ruleSchema = strict({
  operations: z.array(z.enum(KMS_OPERATIONS)).min(1).optional(),
  keys: z.array(z.string().min(1).max(2048)).min(1).optional(),
  from: duration({ allowZero: true }).optional(),
  until: duration({ allowZero: false }).optional(),
  error: z.enum(FAULT_ERRORS).optional(),
  latency: latencySchema.optional(),
  rate: z.number().min(0).max(1).optional(),
  throttlePerSec: z.number().min(0).optional(),
})
  .refine((rule) => rule.error !== undefined || rule.latency !== undefined || rule.throttlePerSec !== undefined, {
    error: `a fault rule needs at least one of error (${listOf(FAULT_ERRORS)}), latency or throttlePerSec`,
  })
  .refine((rule) => rule.until === undefined || rule.until > (rule.from ?? 0), across(['from', 'until'], 'until', 'must be after from'))
  .refine(
    (rule) => rule.rate === undefined || rule.error !== undefined || rule.latency !== undefined,
    across(['rate', 'error', 'latency'], 'rate', 'applies to error and latency; throttlePerSec is a rate of its own'),
  )
  .transform(
    (rule): FaultRule => ({
      ...(rule.operations === undefined ? {} : { operations: rule.operations }),
      ...(rule.keys === undefined ? {} : { keys: rule.keys }),
      fromMs: rule.from ?? 0,
      ...(rule.until === undefined ? {} : { untilMs: rule.until }),
      ...(rule.error === undefined ? {} : { error: rule.error }),
      ...(rule.latency === undefined ? {} : { latency: rule.latency }),
      rate: rule.rate ?? 1,
      ...(rule.throttlePerSec === undefined ? {} : { throttlePerSec: rule.throttlePerSec }),
    }),
  );

/** The `faults` field: a list of rules (default none). */
export const faultsSchema = z.array(ruleSchema).max(1000).default([]);

/**
 * Parses a `faults` list given on its own (the admin endpoint's body): the rules, or every problem with its path
 * under `base` (e.g. `faults[0].rate: …`).
 */
export function parseFaultRules(
  value: unknown,
  base: readonly PathSegment[] = ['faults'],
): { readonly ok: true; readonly rules: FaultRule[] } | { readonly ok: false; readonly problems: string[] } {
  const result = faultsSchema.safeParse(value, { reportInput: true, error: scenarioErrorMap });
  if (result.success) return { ok: true, rules: result.data };
  const problems = zodFindings(result.error.issues, base).map((finding) => `${renderPath(finding.segments)}: ${finding.message}`);
  return { ok: false, problems };
}
