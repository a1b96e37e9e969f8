/**
 * What the engine drives: a client that sends one planned request as one logical operation (with its retries) and
 * reports every attempt as the quota saw it. Two kinds: `direct` calls the model in-process through the harness's own
 * retry loop; `sdk` is a real `KMSClient` whose serializer, signer and retry strategy run against the model.
 */
import type { CacheStats } from '../metrics/cache-stats.js';
import type { AttemptOutcomeKind } from '../metrics/recorder.js';
import type { PlannedRequest } from '../workload/request-mix.js';

export interface SendResult {
  readonly ok: boolean;
  /** The final error's KMS name when `ok` is false. */
  readonly errorName?: string;
  readonly attempts: number;
  /** The KMS response of a successful request (the envelope client needs data keys from it). */
  readonly output?: Record<string, unknown>;
}

export type AttemptListener = (outcome: AttemptOutcomeKind) => void;

export interface BenchClient {
  send(request: PlannedRequest, onAttempt: AttemptListener): Promise<SendResult>;
  destroy(): void;
  /** Data-key cache and key-usage counters of envelope operations, when the client makes any (envelope clients). */
  cacheStats?(): CacheReport | undefined;
}

/** What an envelope client reports of its data keys: `cached` is false for a fleet without a cache. */
export interface CacheReport {
  readonly cached: boolean;
  readonly stats: CacheStats;
}

/** The outcome kind of one attempt's error, by KMS error name. */
export function attemptOutcomeOf(errorName: string | undefined): AttemptOutcomeKind {
  if (errorName === undefined) return 'admitted';
  return errorName === 'ThrottlingException' ? 'throttled' : 'error';
}

/** The name under which requests cut off by a stopped run (Ctrl-C, a crashed worker) are counted: not a KMS error. */
export const INTERRUPTED = 'Interrupted';

/** An abort reason for a stopped run, so what it cuts off is counted as {@link INTERRUPTED}. */
export function interruption(): Error {
  const error = new Error('the run was stopped');
  error.name = INTERRUPTED;
  return error;
}

export function errorNameOf(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'AbortError') return INTERRUPTED; // a sleep or an SDK call cut off by the run's abort signal
  return typeof name === 'string' ? name : 'Error';
}
