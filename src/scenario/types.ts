/**
 * A validated scenario as the engine consumes it: every default filled in, durations in milliseconds and rates per
 * second with the unit in the field name. Plain data (structured-cloneable), so it can travel to worker threads.
 */
import type { KeyState } from '../kms/keystore.js';
import type { KeyUsage } from '../kms/key-specs.js';
import type { QuotaEnforcement, QuotaOverrides, QuotaProfileName } from '../quota/index.js';
import type { PriceOverrides } from './prices.js';
import type { LatenessSpec } from './lateness.js';
import type { FaultRule } from './faults.js';
import type { ThresholdAbort } from './threshold-aborts.js';
import type { RetrySpec } from './retry-types.js';
import type { SecretCacheSetup, ServiceOperationName, ServiceQuotaOverrides } from '../services/index.js';

export type {
  BackoffPolicy,
  BackoffRetryFields,
  BackoffRetrySpec,
  NoBackoffRetrySpec,
  NoRetrySpec,
  RetrySpec,
  SdkRetryPolicy,
  SdkRetrySpec,
  TokenBudgetSpec,
} from './retry-types.js';

/** The raw document as written (parsed YAML or JSON), before validation and defaults. */
export type ScenarioDocument = Record<string, unknown>;

/** Which clock drives the run: real time across worker threads, or the deterministic simulation. */
export type ClockKind = 'wall' | 'virtual';

/**
 * How a fleet reaches the model: in-process calls, the real `KMSClient` with the in-process handler, or the real AWS
 * Encryption SDK (envelope operations only) over that client.
 */
export type ClientKind = 'direct' | 'sdk' | 'esdk';

/** Operations a workload mix can issue. */
export type MixOperation =
  | 'Encrypt'
  | 'Decrypt'
  | 'ReEncrypt'
  | 'GenerateDataKey'
  | 'GenerateDataKeyWithoutPlaintext'
  | 'GenerateRandom'
  | 'Sign'
  | 'Verify'
  | 'GenerateMac'
  | 'VerifyMac'
  | 'DescribeKey'
  | 'GetPublicKey'
  | 'envelopeEncrypt'
  | 'envelopeDecrypt';

/** Any operation a mix entry may name: a KMS operation or envelope, or a service operation (`secretsmanager:…`). */
export type AnyMixOperation = MixOperation | ServiceOperationName;

/**
 * The AWS services a scenario models (docs/SERVICES.md): their resources by kind (`secrets`, `parameters`; S3 adds
 * `buckets`), as validated, each service reading its own; Parameter Store's settings; the services' quota overrides.
 */
export interface ServicesSpec {
  /** Resources by kind, in document order; kinds the scenario does not use are absent. */
  readonly resources: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  /** `parameterStore:` (throughput), when given. */
  readonly parameterStore?: { readonly throughput: 'standard' | 'higher' };
  /** `serviceQuotas:` region (or `*`) → `<service>:<quota>` → requests per second; empty when none. */
  readonly quotaOverrides: ServiceQuotaOverrides;
}

/** A complete, validated scenario. */
export interface Scenario {
  /** `[a-z0-9._-]+`, starting with a letter or digit; used in report directory names. */
  readonly name: string;
  readonly description: string | undefined;
  /** Seeds key ids, key material and every random choice of the run. Default 1. */
  readonly seed: number;
  /** How long the run lasts. */
  readonly durationMs: number;
  /** Default `wall`. */
  readonly clock: ClockKind;
  /** Worker threads; `undefined` lets the engine choose (one per core). */
  readonly workers: number | undefined;
  /**
   * How the KMS model runs; `crypto` defaults to `real` (`off` only with the virtual clock). `chargeDenied: true` makes
   * a request refused with AccessDeniedException draw from the quota too (absent: it does not, the model's default).
   */
  readonly model: { readonly crypto: 'real' | 'off'; readonly chargeDenied?: true };
  readonly quotas: QuotaSpec;
  /**
   * Principals fleets call as, by name; absent when the scenario names none (every fleet then calls as its account's
   * root, which the default key policy allows everything, as before principals existed).
   */
  readonly principals?: Readonly<Record<string, PrincipalSpec>>;
  /** Keys seeded into the model before the run. */
  readonly keys: readonly KeySpecEntry[];
  /** The AWS services' resources and settings; absent when the scenario uses none (it keeps its hash). */
  readonly services?: ServicesSpec;
  /**
   * Service latency per region name, or `default` for every other region. When some fleet's region has none and there
   * is no `default`, `default` is the assumed distribution (src/workload/service-latency.ts) and
   * `serviceLatencyAssumed` is true, so reports can say so: never a silent 0 ms.
   */
  readonly serviceLatency: Readonly<Record<string, LatencySpec>>;
  readonly serviceLatencyAssumed: boolean;
  /** When the generator counts a start as late (`lateness.threshold`, default 10 ms: see lateness.ts). */
  readonly lateness: LatenessSpec;
  /** Failures `kms-bench serve` injects (faults.ts); `run` ignores them. Empty when none. */
  readonly faults: readonly FaultRule[];
  readonly fleets: readonly FleetSpec[];
  /** Threshold expressions per metric (grammar: threshold-grammar.ts); empty when none. */
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
  /** The thresholds written with `abortOnFail: true` (threshold-aborts.ts); absent or empty when none. */
  readonly thresholdAborts?: readonly ThresholdAbort[];
  /** Overrides of the cost model's price table (prices.ts); empty when none. */
  readonly prices: PriceOverrides;
  /** The matrix axes in document order; empty when the scenario has no matrix (and in every expanded variant). */
  readonly matrix: readonly MatrixAxis[];
  /**
   * The document this scenario was validated from (after `--set` overrides; for a variant, with its matrix values
   * applied and no matrix). Kept so matrix variants are re-validated from what the user wrote, and so a report can
   * reproduce the run. Not part of {@link scenarioHash}.
   */
  readonly document: ScenarioDocument;
}

/** Request quotas; the same fields as the quota module's `QuotaOptions`, with defaults filled. */
export interface QuotaSpec {
  /** Default `kms-current`. */
  readonly profile: QuotaProfileName;
  /** Default `fixed-window`. */
  readonly enforcement: QuotaEnforcement;
  /** Token bucket burst, in seconds of quota. Default 1 (only given with `token-bucket`). */
  readonly burstSeconds: number;
  /** Region (or `*`) → bucket → requests per second. Empty when none. */
  readonly overrides: QuotaOverrides;
  /** Where the budgets live when not in this process's memory: a `redis://` URL (src/quota/store-options.ts). */
  readonly store?: string;
}

/** A key seeded into the model; fleets refer to it by `name`. */
export interface KeySpecEntry {
  readonly name: string;
  readonly region: string;
  /** 12 digits; default the model's account, `111122223333`. */
  readonly account: string;
  /** A `KEY_SPECS` name; default `SYMMETRIC_DEFAULT`. */
  readonly keySpec: string;
  /** Default the spec's first usage (ENCRYPT_DECRYPT for symmetric and RSA keys). */
  readonly keyUsage: KeyUsage;
  readonly aliases: readonly string[];
  /** Default `Enabled`. */
  readonly state: KeyState;
  /** A fixed key id (UUID or `mrk-` + 32 hex); otherwise the model derives one from the seed. */
  readonly keyId: string | undefined;
  /**
   * The key policy as JSON text (a template already expanded with the principals' ARNs); absent for KMS's default key
   * policy (the account root gets `kms:*`, delegating to IAM).
   */
  readonly policy?: string;
}

/** A principal fleets call as. */
export interface PrincipalSpec {
  /** IAM ARN (root, user, role or assumed-role session); its account is the calling account. */
  readonly arn: string;
  /** Identity (IAM) policies attached to it, as JSON text; empty for none. */
  readonly policies: readonly string[];
}

/** Service latency added to every call in a region. */
export type LatencySpec =
  | { readonly distribution: 'constant'; readonly ms: number }
  | {
      readonly distribution: 'lognormal';
      /** Median, in milliseconds. */
      readonly medianMs: number;
      /** 99th percentile, in milliseconds (≥ the median). */
      readonly p99Ms: number;
    };

/** A fleet of clients: where it calls, how fast, which operations, with which retry policy. */
export interface FleetSpec {
  /** Unique in the scenario. */
  readonly name: string;
  readonly region: string;
  /** The calling account (charged and throttled): the principal's account, else `111122223333`. */
  readonly account: string;
  /** The `principals` name the fleet calls as; absent: its account's root. */
  readonly principal?: string;
  /** Default `direct`. */
  readonly client: ClientKind;
  readonly workload: WorkloadSpec;
  /** At least one entry. */
  readonly mix: readonly MixEntry[];
  /** Default `sdk-standard` for the `sdk` and `esdk` clients, exponential (100 ms base, 20 s cap, 3 attempts) for `direct`. */
  readonly retry: RetrySpec;
  /** The data-key cache of envelope operations; `undefined` for none (`cache: off`, the default). */
  readonly cache: CacheSpec | undefined;
  /** `client: esdk` only: the Encryption SDK's algorithm suite. Default `committing-signed` (the SDK's default). */
  readonly algorithmSuite: AlgorithmSuiteName | undefined;
  /** The client-side cache of Secrets Manager reads (src/services/secret-cache.ts); absent for none. */
  readonly secretsCache?: SecretCacheSetup;
}

/** The Encryption SDK's committing suites: with an ECDSA P-384 signature (its default) or without. */
export type AlgorithmSuiteName = 'committing-signed' | 'committing';

/** A data-key cache with the AWS Encryption SDK's semantics (aws-kms-facts.md §5). */
export interface CacheSpec {
  /** Entries, LRU beyond; default 100. */
  readonly capacity: number;
  /** Default 60 s. */
  readonly maxAgeMs: number;
  /** Messages per data key; default 2^32 (the SDK's maximum). */
  readonly maxMessagesEncrypted: number;
  /** Bytes per data key (a key's first message is exempt); default 2^53 − 1. */
  readonly maxBytesEncrypted: number;
  /** `fleet` (default): one cache shared by the fleet's clients; `client`: one per client (closed workloads). */
  readonly partition: 'fleet' | 'client';
  /** Concurrent misses for one entry make one KMS call (the SDK lacks this); default false. */
  readonly dedupeInFlight: boolean;
}

/** How requests arrive: an open model (arrival rate) or a closed one (clients with think time), after k6. */
export type WorkloadSpec = OpenWorkloadSpec | ClosedWorkloadSpec;

/** Open model: arrivals at a global rate, split across workers by the engine. */
export interface OpenWorkloadSpec {
  readonly model: 'open';
  /** The rate, or the starting rate when there are stages. Default 0 when stages are given. */
  readonly arrivalRatePerSec: number;
  /** Linear ramps from the previous rate to each target (k6 ramping-arrival-rate); empty for a constant rate. */
  readonly stages: readonly StageSpec[];
  /** Exponential inter-arrival times when true; evenly spaced when false (default). */
  readonly poisson: boolean;
  /** Arrivals beyond this many requests in flight are dropped; `undefined` for no limit. */
  readonly maxInFlight: number | undefined;
}

/** One linear ramp of an open workload. */
export interface StageSpec {
  readonly durationMs: number;
  readonly targetRatePerSec: number;
}

/** Closed model: a fixed number of clients, each sending its next request after the previous one and a think time. */
export interface ClosedWorkloadSpec {
  readonly model: 'closed';
  readonly clients: number;
  /** Default 0. */
  readonly thinkTimeMs: number;
  /** Requests per client; `undefined` to run for the scenario's duration. */
  readonly iterations: number | undefined;
}

/** One weighted operation of a fleet's mix. */
export interface MixEntry {
  readonly op: AnyMixOperation;
  /** Relative weight, > 0. Default 1. */
  readonly weight: number;
  /** A `keys[].name`; `undefined` only for GenerateRandom. The key's region is the fleet's region. */
  readonly key: string | undefined;
  /** ReEncrypt only: the destination key's name, default the source key. */
  readonly destinationKey: string | undefined;
  readonly payload: PayloadSpec;
  /** Number of distinct encryption contexts to cycle through; 0 for none (default). Symmetric encryption ops only. */
  readonly contexts: number;
  /** Sign and Verify only: default the first algorithm the key spec allows. */
  readonly signingAlgorithm: string | undefined;
  /** A service operation's resource (a secret's or parameter's name) and params with defaults filled; absent otherwise. */
  readonly service?: ServiceMixSpec;
}

/** What a mix entry of a service operation sends besides its operation. */
export interface ServiceMixSpec {
  /** The resource's name (`secrets[].name`, `parameters[].name`, …). */
  readonly resource: string;
  /** The operation's params by mix field name (`withDecryption`), each given or defaulted. */
  readonly params: Readonly<Record<string, boolean | number | string>>;
}

/**
 * The data an operation sends: the plaintext (Encrypt, Decrypt, ReEncrypt: the plaintext encrypted beforehand),
 * the message (Sign, Verify, GenerateMac, VerifyMac), or `NumberOfBytes` (GenerateRandom, GenerateDataKey*).
 * Default 32 bytes; GenerateDataKey* default to `dataKeySpec: AES_256`.
 */
export type PayloadSpec =
  /** DescribeKey, GetPublicKey. */
  | { readonly kind: 'none' }
  /** Uniform in [minBytes, maxBytes]; fixed when they are equal. */
  | { readonly kind: 'bytes'; readonly minBytes: number; readonly maxBytes: number }
  /** GenerateDataKey(WithoutPlaintext) with a `KeySpec`. */
  | { readonly kind: 'dataKeySpec'; readonly dataKeySpec: 'AES_128' | 'AES_256' };

/** One matrix axis: a dotted path into the scenario and the values it takes, as written. */
export interface MatrixAxis {
  /** `retry` (every fleet's retry), or a dotted path such as `quotas.profile` or `fleets.web.client`. */
  readonly path: string;
  readonly values: readonly unknown[];
}

/** One point of the matrix: its name (`retry=full-jitter,quotas.profile=kms-2019`), values by axis, and scenario. */
export interface Variant {
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly scenario: Scenario;
}
