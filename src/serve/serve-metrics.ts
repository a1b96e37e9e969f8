/**
 * The endpoint's Prometheus metrics (prom-client), fed by the HTTP server's per-request observer, and the per-second
 * tally the terminal log prints. Denials are counted by error name (`AccessDeniedException`), so they show up as soon
 * as the model answers them, whatever decides them.
 *
 * | metric | type | labels |
 * |---|---|---|
 * | `kmsbench_requests_total` | counter | operation, bucket, region, account, principal, code (`OK` or the error name) |
 * | `kmsbench_throttled_total` | counter | operation, bucket, region, account, principal |
 * | `kmsbench_denied_total` | counter | operation, bucket, region, account, principal |
 * | `kmsbench_request_duration_seconds` | histogram | operation, bucket, region |
 * | `kmsbench_faults_injected_total` | counter | operation, code (`latency` for a delay alone) |
 * | `kmsbench_quota_requests_total` | counter | region, account, bucket, decision (`admitted`, `throttled`): the quota board's own count |
 * | `kmsbench_quota_limit_per_second` | gauge | region, account, bucket |
 * | `kmsbench_in_flight_requests` | gauge | |
 *
 * plus prom-client's default process metrics (CPU, memory, event-loop lag) under `kmsbench_`.
 *
 * Labels taken from what a caller sends are bounded, because prom-client never forgets a label set and anyone who
 * can reach the endpoint could otherwise grow `/metrics` without limit: a region KMS does not have (or any request
 * answered `InvalidSignatureException`) is `invalid`; an account the scenario does not name is `other` (its principal
 * too), and a principal it does not name is its account's root.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KmsModel } from '../kms/model.js';
import type { AnsweredRequest } from '../protocol/dispatch.js';
import { kmsRegionSet } from '../kms/regions.js';
import { bucketOf, principalOf } from './request-classes.js';

/** Region label of a request whose region the model refused or would refuse. */
export const INVALID_REGION_LABEL = 'invalid';
/** Principal or account label of a caller the scenario does not name. */
export const OTHER_LABEL = 'other';

/** Latency buckets, seconds: the model answers in tens of microseconds; injected latency reaches seconds. */
const DURATION_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The labelled children one label set updates. */
interface LabelledSeries {
  readonly requests: { inc(): void };
  readonly duration: { observe(value: number): void };
  /** The throttled or denied counter, for those codes. */
  readonly outcome: { inc(): void } | undefined;
}

/** Label sets remembered; past this (many principals) the cache starts over rather than grow. */
const MAX_CACHED_SERIES = 4096;

/** One bucket's counts over one second (the terminal log). */
export interface BucketSecond {
  requests: number;
  throttled: number;
  denied: number;
  errors: number;
}

/** Metrics of one serve endpoint, in their own registry. */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly #model: KmsModel;
  readonly #requests: Counter;
  readonly #throttled: Counter;
  readonly #denied: Counter;
  readonly #duration: Histogram;
  readonly #faults: Counter;
  #second = new Map<string, BucketSecond>();
  readonly #series = new Map<string, LabelledSeries>();
  readonly #regions = kmsRegionSet();
  readonly #principals: ReadonlySet<string>;
  readonly #accounts: ReadonlySet<string>;

  /** `principals`: the principal ARNs the scenario names (the only ones labelled by name). */
  constructor(model: KmsModel, inFlight: () => number, principals: readonly string[] = []) {
    this.#model = model;
    this.#principals = new Set([...principals, `arn:aws:iam::${model.accountId}:root`]);
    this.#accounts = new Set([model.accountId, ...principals.map((arn) => arn.split(':')[4] ?? '')]);
    const registers = [this.registry];
    const who = ['operation', 'bucket', 'region', 'account', 'principal'];
    this.#requests = new Counter({ name: 'kmsbench_requests_total', help: 'KMS requests answered', labelNames: [...who, 'code'], registers });
    this.#throttled = new Counter({ name: 'kmsbench_throttled_total', help: 'Requests answered with ThrottlingException', labelNames: who, registers });
    this.#denied = new Counter({ name: 'kmsbench_denied_total', help: 'Requests answered with AccessDeniedException', labelNames: who, registers });
    this.#duration = new Histogram({
      name: 'kmsbench_request_duration_seconds',
      help: 'Time from a decoded request to its encoded answer, injected latency included',
      labelNames: ['operation', 'bucket', 'region'],
      buckets: DURATION_BUCKETS_S,
      registers,
    });
    this.#faults = new Counter({ name: 'kmsbench_faults_injected_total', help: 'Requests given an injected fault', labelNames: ['operation', 'code'], registers });
    new Gauge({
      name: 'kmsbench_in_flight_requests',
      help: 'Requests being answered',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    const seen = new Map<string, number>();
    new Counter({
      name: 'kmsbench_quota_requests_total',
      help: "Requests the quota board admitted or throttled, per account, region and bucket (the board's own count)",
      labelNames: ['region', 'account', 'bucket', 'decision'],
      registers,
      collect() {
        for (const slot of model.quotaState()) {
          for (const [decision, count] of [['admitted', slot.admitted], ['throttled', slot.throttled]] as const) {
            const labels = { region: slot.region, account: slot.accountId, bucket: slot.bucket, decision };
            const key = `${slot.region}\u0000${slot.accountId}\u0000${slot.bucket}\u0000${decision}`;
            const delta = count - (seen.get(key) ?? 0);
            if (delta > 0) this.inc(labels, delta);
            else if (!seen.has(key)) this.inc(labels, 0);
            seen.set(key, count);
          }
        }
      },
    });
    new Gauge({
      name: 'kmsbench_quota_limit_per_second',
      help: 'The request quota in force per account, region and bucket (+Inf: unlimited)',
      labelNames: ['region', 'account', 'bucket'],
      registers,
      collect() {
        for (const slot of model.quotaState()) this.set({ region: slot.region, account: slot.accountId, bucket: slot.bucket }, slot.quotaPerSec);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'kmsbench_' });
  }

  /** The HTTP server's observer: counts one answered request. */
  readonly observe = (request: AnsweredRequest): void => {
    const operation = request.operation ?? 'unknown';
    const bucket = bucketOf(this.#model, request.operation, request.input, request.context);
    const code = request.errorName ?? 'OK';
    const caller = principalOf(this.#model, request.context);
    const account = this.#accounts.has(caller.account) ? caller.account : OTHER_LABEL;
    const principal = this.#principals.has(caller.principal) ? caller.principal : account === OTHER_LABEL ? OTHER_LABEL : `arn:aws:iam::${account}:root`;
    const sent = request.context?.region;
    const region = sent === undefined ? 'unknown' : code === 'InvalidSignatureException' || !this.#regions.has(sent) ? INVALID_REGION_LABEL : sent;
    // prom-client hashes a label set on every update; one look-up of the labelled children per request instead.
    const key = `${operation}\u0000${bucket}\u0000${region}\u0000${account}\u0000${principal}\u0000${code}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      const labels = { operation, bucket, region, account, principal };
      series = {
        requests: this.#requests.labels({ ...labels, code }),
        duration: this.#duration.labels({ operation, bucket, region }),
        outcome:
          code === 'ThrottlingException' ? this.#throttled.labels(labels) : code === 'AccessDeniedException' ? this.#denied.labels(labels) : undefined,
      };
      if (this.#series.size >= MAX_CACHED_SERIES) this.#series.clear();
      this.#series.set(key, series);
    }
    series.requests.inc();
    series.outcome?.inc();
    series.duration.observe(Number(request.durationNs) / 1e9);
    let tally = this.#second.get(bucket);
    if (tally === undefined) this.#second.set(bucket, (tally = { requests: 0, throttled: 0, denied: 0, errors: 0 }));
    tally.requests++;
    if (code === 'ThrottlingException') tally.throttled++;
    else if (code === 'AccessDeniedException') tally.denied++;
    else if (code !== 'OK') tally.errors++;
  };

  /** Counts a request given an injected fault. */
  faultInjected(operation: string, code: string): void {
    this.#faults.inc({ operation, code });
  }

  /** The counts per bucket since the last call (the terminal log's second). */
  takeSecond(): ReadonlyMap<string, BucketSecond> {
    const second = this.#second;
    this.#second = new Map();
    return second;
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
