/**
 * What a run will cost before it starts: requests, wall time, memory and the size of result.json, per variant and in
 * all, from the plans alone (no model call, no thread). The rates and sizes come from work-rates.ts; the CLI refuses
 * a run past its budget (src/api/run-budget.ts). Requests are logical operations offered (retries come on top, within
 * the quota), so the figure is the same one the run reports as `offered`.
 */
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import { bucketFor } from '../quota/index.js';
import { expectedArrivals } from '../workload/arrivals.js';
import { meanLatencyMs } from '../workload/service-latency.js';
import { SDK_RETRY_TABLE } from '../client/sdk-retry-table.js';
import { runsEventDriven } from './envelope-fleet.js';
import { timelineSlots } from './timeline-length.js';
import type { FleetPlan, FleetRetry, VariantPlan } from './wire.js';
import { BYTES, US_PER_REQUEST, WORKER_START_CPU_SECONDS } from './work-rates.js';
import { isServiceOperationName, serviceOf } from '../services/index.js';

/** What the estimate needs besides the plans. */
export interface EstimateOptions {
  readonly clock: 'wall' | 'virtual';
  /** Worker threads asked for (wall: one share of every fleet each; virtual: simulations in parallel). */
  readonly workers: number;
  /** Cores of this machine: threads beyond them share a core. */
  readonly cores: number;
  /** Seeds per variant (`--repeat`); default 1. */
  readonly repeat?: number;
  /** Crypto mode per variant (virtual clock); default `real`. */
  readonly crypto?: (variant: string) => CryptoMode;
}

/** One fleet of one variant. */
export interface FleetEstimate {
  readonly fleet: string;
  /** Logical operations over the run (Infinity: without end). */
  readonly requests: number;
  /** The highest rate it offers: open, its peak arrival rate; closed, clients over their cycle. */
  readonly peakRatePerSec: number;
  /** CPU microseconds of one core per request on this clock. */
  readonly usPerRequest: number;
  /** Operations that can be in flight (or closed clients) at once, and the bytes of each. */
  readonly concurrent: number;
  readonly bytesEach: number;
  /** Per-second series the recorder keeps for it, and the numbers per second it adds to result.json. */
  readonly series: number;
  readonly resultNumbers: number;
}

/** One variant, for one seed. */
export interface VariantEstimate {
  readonly variant: string;
  readonly fleets: readonly FleetEstimate[];
  readonly requests: number;
  readonly cpuSeconds: number;
  /** Timeline length of a run that completes: the scheduled seconds and the drain slot. */
  readonly timelineSeconds: number;
}

/** The whole run: every variant, every seed. */
export interface WorkEstimate {
  readonly clock: 'wall' | 'virtual';
  readonly variants: readonly VariantEstimate[];
  readonly requests: number;
  /** Requests per second per core the wall time assumes (requests over CPU seconds). */
  readonly ratePerCorePerSec: number;
  readonly threads: number;
  readonly wallSeconds: number;
  readonly memoryBytes: number;
  readonly memory: { readonly base: number; readonly threads: number; readonly clients: number; readonly timelines: number };
  readonly resultJsonBytes: number;
  /** Wall clock: the offered rate against what the workers can drive (ratio > 1: they fall behind). */
  readonly load?: { readonly offeredPerSec: number; readonly capacityPerSec: number; readonly ratio: number };
}

/** The longest an operation can spend in backoff: every retry at its largest delay, ms. */
export function maxBackoffMs(retry: FleetRetry): number {
  const sdk = retry.policy === 'sdk-standard' || retry.policy === 'sdk-adaptive';
  // The SDK's own strategy: its throttling base and delay cap, as the installed @smithy/core runs them.
  const base = sdk ? SDK_RETRY_TABLE.throttlingBaseMs : 'baseMs' in retry ? retry.baseMs : 0;
  const cap = sdk ? SDK_RETRY_TABLE.maxDelayMs : 'capMs' in retry ? retry.capMs : base;
  const growth = retry.policy === 'constant' ? 1 : retry.policy === 'decorrelated-jitter' ? 3 : 2;
  const retries = Math.max(0, retry.maxAttempts - 1);
  const top = Math.min(cap, base);
  // A delay that never grows (constant, a zero base, base at the cap): every retry waits the same.
  if (growth === 1 || base <= 0 || base >= cap) return retries * top;
  // The growing delays one by one until they reach the cap (a few dozen at most), then the rest at the cap at once.
  let total = 0;
  let k = 0;
  for (; k < retries && base * growth ** k < cap; k++) total += base * growth ** k;
  return total + (retries - k) * cap;
}

/** CPU microseconds of one core per request of the mix, weighted (crypto extras only with real crypto). */
function usPerRequest(fleet: FleetPlan, plan: VariantPlan, clock: 'wall' | 'virtual', crypto: CryptoMode): number {
  const events = clock === 'virtual' && runsEventDriven(fleet);
  const real = clock === 'wall' || crypto === 'real';
  let base: number = clock === 'wall' ? US_PER_REQUEST.wallDirect : events ? US_PER_REQUEST.simEventsCryptoOff : US_PER_REQUEST.simPromisesCryptoOff;
  if (clock === 'virtual' && real) base = events ? US_PER_REQUEST.simEventsCryptoReal : US_PER_REQUEST.simPromisesCryptoReal;
  if (fleet.client === 'sdk') base += US_PER_REQUEST.sdkCall;
  if (fleet.client === 'esdk') base += fleet.algorithmSuite === 'committing' ? US_PER_REQUEST.esdkUnsigned : US_PER_REQUEST.esdkSigned;
  let weights = 0;
  let sum = 0;
  for (const entry of fleet.mix) {
    const spec = entry.key === undefined ? '' : (plan.keys[entry.key]?.keySpec ?? '');
    const payload = typeof entry.payloadBytes === 'number' ? entry.payloadBytes : entry.payloadBytes === undefined ? 0 : (entry.payloadBytes.min + entry.payloadBytes.max) / 2;
    let us = base;
    if (entry.op.startsWith('envelope')) us += US_PER_REQUEST.envelope + payload * US_PER_REQUEST.envelopePerPayloadByte;
    else if (real && spec.startsWith('RSA_')) us += entry.op === 'Decrypt' || entry.op === 'Sign' ? US_PER_REQUEST.rsaPrivate : US_PER_REQUEST.rsaPublic;
    else if (real && spec.startsWith('ECC_')) us += entry.op === 'Sign' ? US_PER_REQUEST.eccSign : US_PER_REQUEST.eccVerify;
    weights += entry.weight;
    sum += entry.weight * us;
  }
  return weights > 0 ? sum / weights : base;
}

function bytesPerOperation(fleet: FleetPlan, events: boolean): number {
  if (fleet.client !== 'direct') return BYTES.clientSdk;
  if (fleet.mix.some((entry) => entry.op.startsWith('envelope'))) return BYTES.clientEnvelope;
  return events ? BYTES.clientEvents : BYTES.clientPromises;
}

function estimateFleet(fleet: FleetPlan, plan: VariantPlan, options: EstimateOptions, crypto: CryptoMode): FleetEstimate {
  const durationSec = plan.durationMs / 1000;
  const us = usPerRequest(fleet, plan, options.clock, crypto);
  const latencyMs = meanLatencyMs(plan.serviceLatency[fleet.region] ?? plan.serviceLatency['default']);
  // On the wall clock no fleet goes faster than its workers' cores can send.
  const cpuCap = options.clock === 'wall' ? (Math.min(options.workers, options.cores) * 1e6) / us : Infinity;
  const w = fleet.workload;
  const specOf = (key: string | undefined): string | undefined => (key === undefined ? undefined : plan.keys[key]?.keySpec);
  // The model's own rule (quota/classify.ts); ReEncrypt's bucket depends on its destination key too.
  const buckets = new Set(
    fleet.mix.map((e) =>
      // A service operation's timeline is its service's; its KMS calls are symmetric.
      isServiceOperationName(e.op)
        ? serviceOf(e.op)
        : e.op.startsWith('envelope')
          ? 'symmetric'
          : bucketFor(e.op, specOf(e.key), specOf(e.op === 'ReEncrypt' ? (e.destinationKey ?? e.key) : undefined)),
    ),
  );
  const ops = new Set(fleet.mix.map((e) => e.op)).size;
  const series = buckets.size * 2 + ops * 3;
  const resultNumbers = buckets.size * 2 + 3;
  const bytesEach = bytesPerOperation(fleet, options.clock === 'virtual' && runsEventDriven(fleet));
  if (w.model === 'open') {
    const requests = expectedArrivals({ arrivalRatePerSec: w.arrivalRatePerSec, stages: w.stages ?? [], durationMs: plan.durationMs });
    const peak = Math.max(w.arrivalRatePerSec, ...(w.stages ?? []).map((s) => s.target));
    // Little's law over the longest an operation can last: every attempt answered, every retry at its largest delay.
    const residenceSec = (fleet.retry.maxAttempts * latencyMs + maxBackoffMs(fleet.retry)) / 1000;
    const concurrent = Math.min(w.maxInFlight ?? Infinity, Math.min(peak, cpuCap) * residenceSec);
    return { fleet: fleet.name, requests, peakRatePerSec: peak, usPerRequest: us, concurrent, bytesEach, series, resultNumbers };
  }
  const cycleSec = (w.thinkTimeMs + latencyMs) / 1000;
  const demandPerSec = cycleSec > 0 ? w.clients / cycleSec : Infinity;
  const ratePerSec = Math.min(demandPerSec, cpuCap);
  let requests = ratePerSec * durationSec;
  if (w.iterations !== undefined) requests = Math.min(requests, w.clients * w.iterations);
  return { fleet: fleet.name, requests, peakRatePerSec: ratePerSec, usPerRequest: us, concurrent: w.clients, bytesEach, series, resultNumbers };
}

/** The cost of running `plans` as `options` say. */
export function estimateWork(plans: readonly VariantPlan[], options: EstimateOptions): WorkEstimate {
  const repeat = options.repeat ?? 1;
  const variants: VariantEstimate[] = [];
  // Virtual clock: each (variant, region, seed) is one simulation on one thread; `count` seeds of each (never one
  // entry per seed: `--repeat 1e9` must be refused, not looped over).
  const simulations: { cpuSeconds: number; bytes: number; count: number }[] = [];
  let resultNumbers = 0;
  let mainTimelineBytes = 0;
  for (const plan of plans) {
    const crypto = options.crypto?.(plan.name) ?? 'real';
    const fleets = plan.fleets.map((fleet) => estimateFleet(fleet, plan, options, crypto));
    const seconds = timelineSlots(plan.durationMs);
    const requests = fleets.reduce((sum, f) => sum + f.requests, 0);
    const cpuSeconds = fleets.reduce((sum, f) => sum + (f.requests * f.usPerRequest) / 1e6, 0);
    variants.push({ variant: plan.name, fleets, requests, cpuSeconds, timelineSeconds: seconds });
    const series = fleets.reduce((sum, f) => sum + f.series, 0);
    const numbers = fleets.reduce((sum, f) => sum + f.resultNumbers, 0) + new Set(plan.fleets.map((f) => f.region)).size * 2;
    resultNumbers += seconds * numbers;
    // Each seed's metrics stay on the main thread until the run ends; summaries add the fleet and run totals.
    mainTimelineBytes += seconds * (series * repeat + numbers) * BYTES.timelineMainPerSeriesSecond;
    const regions = new Map<string, FleetEstimate[]>();
    plan.fleets.forEach((fleet, i) => regions.set(fleet.region, [...(regions.get(fleet.region) ?? []), fleets[i] as FleetEstimate]));
    for (const group of regions.values()) {
      const cpu = group.reduce((sum, f) => sum + (f.requests * f.usPerRequest) / 1e6, 0);
      const bytes = group.reduce((sum, f) => sum + f.concurrent * f.bytesEach + seconds * f.series * BYTES.timelineThreadPerSeriesSecond, 0);
      simulations.push({ cpuSeconds: cpu, bytes, count: repeat });
    }
  }
  const requests = variants.reduce((sum, v) => sum + v.requests, 0) * repeat;
  const cpuSeconds = variants.reduce((sum, v) => sum + v.cpuSeconds, 0) * repeat;
  const resultJsonBytes = resultNumbers * BYTES.resultJsonPerNumber;
  const base = BYTES.mainProcess;
  if (options.clock === 'virtual') {
    const threads = Math.max(1, Math.min(options.workers, simulations.length * repeat));
    const cores = Math.min(threads, options.cores);
    const longest = simulations.reduce((most, s) => Math.max(most, s.cpuSeconds), 0);
    // Simulations run one per thread: the longest bounds the run from below, the total over the cores on average.
    const wallSeconds = Math.max(longest, cpuSeconds / cores) + (threads * WORKER_START_CPU_SECONDS) / options.cores;
    // In memory at once: the heaviest simulations, one per thread.
    let clients = 0;
    let free = threads;
    for (const s of [...simulations].sort((a, b) => b.bytes - a.bytes)) {
      const running = Math.min(free, s.count);
      clients += running * s.bytes;
      free -= running;
    }
    const memory = { base, threads: threads * BYTES.workerThread, clients, timelines: mainTimelineBytes + 2 * resultJsonBytes };
    return finish({ clock: 'virtual', variants, requests, cpuSeconds, threads, wallSeconds, memory, resultJsonBytes });
  }
  const threads = options.workers;
  const cores = Math.min(threads, options.cores);
  // Variants run one after another; each lasts its duration, or longer when its workers cannot keep up.
  let wallSeconds = (threads * WORKER_START_CPU_SECONDS) / options.cores;
  let clients = 0;
  let offeredPerSec = 0;
  let capacityPerSec = Infinity;
  for (const [i, v] of variants.entries()) {
    wallSeconds += repeat * Math.max((plans[i]?.durationMs ?? 0) / 1000, v.cpuSeconds / cores);
    clients = Math.max(clients, v.fleets.reduce((sum, f) => sum + f.concurrent * f.bytesEach, 0));
    const rate = v.fleets.reduce((sum, f) => sum + f.peakRatePerSec, 0);
    if (rate > offeredPerSec) {
      offeredPerSec = rate;
      const us = v.fleets.reduce((sum, f) => sum + f.peakRatePerSec * f.usPerRequest, 0) / Math.max(rate, 1e-9);
      capacityPerSec = (cores * 1e6) / us;
    }
  }
  const perThread = variants.reduce((most, v) => Math.max(most, v.timelineSeconds * v.fleets.reduce((sum, f) => sum + f.series, 0)), 0);
  const timelines = mainTimelineBytes + 2 * resultJsonBytes + threads * perThread * BYTES.timelineThreadPerSeriesSecond;
  const memory = { base, threads: threads * BYTES.workerThread, clients, timelines };
  const load = offeredPerSec > 0 && Number.isFinite(capacityPerSec) ? { offeredPerSec, capacityPerSec, ratio: offeredPerSec / capacityPerSec } : undefined;
  return finish({ clock: 'wall', variants, requests, cpuSeconds, threads, wallSeconds, memory, resultJsonBytes, ...(load === undefined ? {} : { load }) });
}

function finish(parts: Omit<WorkEstimate, 'memoryBytes' | 'ratePerCorePerSec'> & { cpuSeconds: number }): WorkEstimate {
  const { cpuSeconds, ...rest } = parts;
  const m = parts.memory;
  return {
    ...rest,
    ratePerCorePerSec: cpuSeconds > 0 ? parts.requests / cpuSeconds : Infinity,
    memoryBytes: m.base + m.threads + m.clients + m.timelines,
  };
}
