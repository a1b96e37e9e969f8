/**
 * The zod schemas of what a fleet sends: its `workload` (an open model with an arrival rate and optional stages, or a
 * closed one with clients and think time) and the entries of its `mix` (operation, weight, key, payload). Part of the
 * scenario's schema (schema.ts, which re-exports both and builds the fleet from them); cross-object checks, such as a
 * mix entry's key reference, live in rules.ts and mix-rules.ts.
 */
import * as z from 'zod';
import { KMS_OPERATIONS } from '../kms/types.js';
import { MIX_OPERATIONS } from './catalog.js';
import { across, duration, positiveInt, strict } from './schema-helpers.js';
import { SERVICE_OPERATION_NAMES, type ServiceOperationName } from '../services/index.js';
import type { AnyMixOperation } from './types.js';
import { serviceMixFields } from './schema-services.js';
import { listOf } from '../base/text.js';


const stageSchema = strict({ duration: duration({ allowZero: true }), target: z.number().min(0) }).transform((stage) => ({
  durationMs: stage.duration,
  targetRatePerSec: stage.target,
}));

const openWorkload = strict({
  model: z.literal('open'),
  arrivalRate: z.number().min(0).optional(),
  stages: z.array(stageSchema).default([]),
  poisson: z.boolean().default(false),
  maxInFlight: positiveInt.optional(),
})
  .refine(
    (open) => open.arrivalRate !== undefined || open.stages.length > 0,
    across(['arrivalRate', 'stages'], 'arrivalRate', 'required (or give stages)'),
  )
  .transform((open) => ({
    model: open.model,
    arrivalRatePerSec: open.arrivalRate ?? 0,
    stages: open.stages,
    poisson: open.poisson,
    maxInFlight: open.maxInFlight,
  }));

const closedWorkload = strict({
  model: z.literal('closed'),
  clients: positiveInt,
  thinkTime: duration({ allowZero: true }).default(0),
  iterations: positiveInt.optional(),
}).transform((closed) => ({
  model: closed.model,
  clients: closed.clients,
  thinkTimeMs: closed.thinkTime,
  iterations: closed.iterations,
}));

export const workloadSchema = z.discriminatedUnion('model', [openWorkload, closedWorkload]);

/** Every operation a mix entry may name: the KMS operations and envelopes, then the services' operations. */
export const ALL_MIX_OPERATIONS = [...MIX_OPERATIONS, ...(SERVICE_OPERATION_NAMES as readonly ServiceOperationName[])] as [AnyMixOperation, ...AnyMixOperation[]];

const mixOperation = z.enum(ALL_MIX_OPERATIONS, {
  error: (issue) =>
    typeof issue.input === 'string' && (KMS_OPERATIONS as readonly string[]).includes(issue.input)
      ? `${issue.input} is not available in a workload mix; expected ${listOf(ALL_MIX_OPERATIONS)}`
      : undefined,
});

const payloadBytes = z.union([
  positiveInt,
  strict({ min: positiveInt, max: positiveInt }).refine(
    (range) => range.max >= range.min,
    across(['min', 'max'], 'max', 'must be ≥ min'),
  ),
]);

export const mixEntrySchema = strict({
  op: mixOperation,
  weight: z.number().positive().default(1),
  key: z.string().optional(),
  destinationKey: z.string().optional(),
  payloadBytes: payloadBytes.optional(),
  dataKeySpec: z.enum(['AES_128', 'AES_256']).optional(),
  contexts: z.int().min(0).default(0),
  signingAlgorithm: z.string().optional(),
  // A service operation's resource (`secret: db`) and params (`withDecryption: false`): schema-services.ts.
  ...serviceMixFields(),
});
