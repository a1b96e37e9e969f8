/**
 * What the engines return: one {@link VariantRun} per variant, keyed by the clock that ran it, inside an
 * {@link EngineRun}. Both engines (run.ts on the wall clock, simulate.ts on the virtual one) produce these and the
 * report reads them, so they live apart from either engine: neither engine imports the other for a type.
 */
import type { CryptoMode } from '../kms/symmetric-crypto.js';
import type { MetricsSummary } from '../metrics/index.js';
import type { QuotaSlotSnapshot, QuotaStoreReport } from '../quota/index.js';
import type { WorkerMetrics } from '../metrics/wire.js';
import type { ServiceQuotaSnapshot } from '../services/index.js';
import type { AbortInfo } from './live-figures.js';

/** Mean and spread of one metric across repeated seeds. */
export interface SeedSpread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Sample standard deviation (0 for one seed). */
  readonly stddev: number;
}

/** `--repeat N`: the seeds run and the spread of the headline metrics across them. */
export interface RepeatSummary {
  readonly seeds: number[];
  readonly metrics: Readonly<Record<string, SeedSpread>>;
}

/** What every variant run reports, whichever clock ran it. */
interface VariantRunCommon {
  readonly name: string;
  readonly state: 'completed' | 'incomplete';
  readonly reason?: string;
  /** Real time the variant took (on the virtual clock: the simulation's own cost, summed over seeds). */
  readonly wallSeconds: number;
  readonly metrics: MetricsSummary;
  readonly quota: QuotaSlotSnapshot[];
  /** The AWS services' own request quotas used (admitted, throttled); absent when the run has no services. */
  readonly serviceQuota?: ServiceQuotaSnapshot[];
  /** The `abortOnFail` threshold that stopped this variant early (live-figures.ts). */
  readonly abortedBy?: AbortInfo;
  /**
   * The metrics `metrics` was summarized from, in the wire format (counters, encoded HDR histograms, timelines), so
   * results of several instances can be added up (`kms-bench merge`).
   */
  readonly wire?: WorkerMetrics;
  /** A shared quota store's account of the variant: its run id, decisions under the fault policy, lease misses. */
  readonly quotaStore?: QuotaStoreReport;
}

/** A variant run on the wall clock by worker threads (run.ts). */
export interface WallVariantRun extends VariantRunCommon {
  readonly clock: 'wall';
  /** Epoch milliseconds of the timelines' second 0: how `kms-bench merge` lines up instances' seconds. */
  readonly wallStartMs?: number;
}

/** A variant run by the simulator (simulate.ts): what the wall engine reports, plus simulated time and crypto mode. */
export interface SimulatedVariantRun extends VariantRunCommon {
  readonly clock: 'virtual';
  /** Simulated time from the start until the last request finished. */
  readonly simulatedSeconds: number;
  /** Whether the model ran its ciphers (`real`) or framed blobs without them (`off`). */
  readonly crypto: CryptoMode;
  /** With `--repeat N`: the seeds and the spread of the headline metrics across them. */
  readonly repeats?: RepeatSummary;
}

/** One variant's run, keyed by the clock that ran it. */
export type VariantRun = WallVariantRun | SimulatedVariantRun;

/** A whole run: every variant that ran, and `incomplete` with the reason when the run stopped short. */
export interface EngineRun {
  readonly state: 'completed' | 'incomplete';
  readonly reason?: string;
  readonly variants: VariantRun[];
  /** The `abortOnFail` threshold that ended the run early. */
  readonly abortedBy?: AbortInfo;
}
