/**
 * Envelope workloads in the engine, for both clocks: the fleet's client for envelope operations (the built-in
 * envelope with its data-key cache over the direct or sdk client, or the real Encryption SDK) and the cache counters
 * handed to the metrics recorder. The messages to decrypt are sealed before the run by envelope-fixtures.ts.
 */
import type { Clock } from '../base/time.js';
import type { BenchClient } from '../client/bench-client.js';
import { EnvelopeCaches } from '../client/envelope-caches.js';
import { createEnvelopeClient } from '../client/envelope-client.js';
import { createEsdkClient } from '../client/esdk-client.js';
import type { KmsModel } from '../kms/model.js';
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import { isEnvelopeOperation } from '../metrics/cache-summary.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import type { TimeSource } from '../base/time.js';
import type { EnvelopeFleet } from './sim-envelope.js';
import type { FleetPlan } from './wire.js';

/** True when the fleet's mix has envelope operations. */
export function hasEnvelopeOps(fleet: FleetPlan): boolean {
  return fleet.mix.some((entry) => isEnvelopeOperation(entry.op));
}

/**
 * True when the event-driven simulator can run the fleet: the direct client under a harness retry policy, with or
 * without envelope operations. The real `KMSClient` (`client: sdk`, the SDK's own retry strategies) and the
 * Encryption SDK must await, and keep the promise-driven scheduler.
 */
export function runsEventDriven(fleet: FleetPlan): boolean {
  return fleet.client === 'direct' && fleet.retry.policy !== 'sdk-standard' && fleet.retry.policy !== 'sdk-adaptive';
}

/**
 * The event-driven simulator's envelope state of a fleet whose mix has envelope operations (none otherwise): its
 * caches, whose keys are used at once (so zero-filled at once when they leave), and whether the payload is enciphered.
 */
export function envelopeFleetOf(fleet: FleetPlan, queue: TimeSource, crypto: CryptoMode): EnvelopeFleet | undefined {
  if (!hasEnvelopeOps(fleet)) return undefined;
  return { caches: new EnvelopeCaches(fleet.cache, queue, true), localCrypto: crypto === 'real' };
}

/** Wraps a direct or sdk client so envelope operations run with the fleet's cache; other fleets keep their client. */
export function withEnvelopes(fleet: FleetPlan, inner: BenchClient, clock: Clock): BenchClient {
  if (!hasEnvelopeOps(fleet)) return inner;
  return createEnvelopeClient({ inner, clock, ...(fleet.cache === undefined ? {} : { cache: fleet.cache }) });
}

export interface EsdkFleetOptions {
  readonly model: KmsModel;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly latencyMs?: () => number;
}

/** `client: esdk`: the Encryption SDK over the model, with the SDK's caching materials manager when cached. */
export function createEsdkFleetClient(fleet: FleetPlan, options: EsdkFleetOptions): BenchClient {
  const retry = fleet.retry;
  const mode = retry.policy === 'sdk-adaptive' ? 'adaptive' : 'standard';
  const cache = fleet.cache;
  return createEsdkClient({
    model: options.model,
    ...(fleet.accountId === undefined ? {} : { accountId: fleet.accountId }),
    ...(fleet.principal === undefined ? {} : { principal: fleet.principal }),
    suite: fleet.algorithmSuite ?? 'committing-signed',
    ...(cache === undefined
      ? {}
      : {
          cache: {
            capacity: cache.capacity,
            maxAgeMs: cache.maxAgeMs,
            ...(cache.maxMessagesEncrypted === undefined ? {} : { maxMessagesEncrypted: cache.maxMessagesEncrypted }),
            ...(cache.maxBytesEncrypted === undefined ? {} : { maxBytesEncrypted: cache.maxBytesEncrypted }),
          },
          perClient: cache.partition === 'client',
        }),
    retry: { mode, maxAttempts: retry.maxAttempts },
    clock: options.clock,
    signal: options.signal,
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  });
}

/** Hands a fleet client's cache counters (if it has any) to the recorder. */
export function recordCacheReport(recorder: MetricsRecorder, fleet: string, client: Pick<BenchClient, 'cacheStats'>): void {
  const report = client.cacheStats?.();
  if (report !== undefined) recorder.cache(fleet, report.cached, report.stats);
}
