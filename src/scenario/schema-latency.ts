/** A latency distribution as scenarios write it (`serviceLatency`, and fault rules' added `latency`). */
import * as z from 'zod';
import { across, strict } from './schema-helpers.js';

/** `{ distribution: constant, ms }` or `{ distribution: lognormal, medianMs, p99Ms }`, p99 ≥ median. */
export const latencySchema = z.discriminatedUnion('distribution', [
  strict({ distribution: z.literal('constant'), ms: z.number().min(0) }),
  strict({ distribution: z.literal('lognormal'), medianMs: z.number().positive(), p99Ms: z.number().positive() }).refine(
    (latency) => latency.p99Ms >= latency.medianMs,
    across(['medianMs', 'p99Ms'], 'p99Ms', 'must be ≥ medianMs'),
  ),
]);
