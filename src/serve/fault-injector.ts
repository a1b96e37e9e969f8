/**
 * Decides, per request, which declared faults apply (scenario `faults:`, or rules set at run time through the admin
 * endpoint): an injected error, added latency, or a throttle at a lower rate than the quota. Time is the server's
 * (milliseconds since it started, from an injected clock) so rule windows can be tested without waiting; draws come
 * from one seeded stream, so the same seed and the same request sequence inject the same faults.
 */
import { seededRandom, type Random } from '../base/random.js';
import { KmsError, THROTTLING_MESSAGE } from '../kms/errors.js';
import type { CallContext } from '../kms/types.js';
import type { FaultError, FaultRule } from '../scenario/faults.js';
import { latencySampler } from '../workload/service-latency.js';

/** What the faults do to one request: an error to answer with (after the delay), and milliseconds to wait first. */
export interface FaultDecision {
  readonly error: KmsError | undefined;
  readonly delayMs: number;
}

/** What the injector needs from the server. */
export interface FaultInjectorOptions {
  readonly seed: number;
  /** Milliseconds since the server started. */
  readonly nowMs: () => number;
  /** The key ARN a rule's `keys` entry names in the caller's partition (a scenario key name, id, ARN or alias), if any. */
  readonly keyArnOf: (entry: string, context: CallContext) => string | undefined;
}

/** Messages of the injected errors, in KMS's words where KMS has published them. */
const FAULT_MESSAGES: Readonly<Record<FaultError, string>> = {
  KMSInternalException: 'We encountered an internal error. Please try again.',
  DependencyTimeoutException: 'The system timed out while trying to fulfill the request. The request can be retried.',
  KeyUnavailableException: 'The request was rejected because the specified KMS key was not available. You can retry the request.',
  ThrottlingException: THROTTLING_MESSAGE,
};

const NO_FAULT: FaultDecision = Object.freeze({ error: undefined, delayMs: 0 });

interface ActiveRule {
  readonly rule: FaultRule;
  readonly operations: ReadonlySet<string> | undefined;
  readonly sampleLatencyMs: (() => number) | undefined;
  /** The one-second window (since start) the throttle count is for, and the count. */
  window: number;
  admitted: number;
}

/** Applies fault rules to requests; replace the rules at any time with {@link FaultInjector.setRules}. */
export class FaultInjector {
  readonly #options: FaultInjectorOptions;
  readonly #random: Random;
  #rules: ActiveRule[] = [];
  #plain: readonly FaultRule[] = [];
  #injected = 0;

  constructor(rules: readonly FaultRule[], options: FaultInjectorOptions) {
    this.#options = options;
    this.#random = seededRandom(options.seed, 'serve faults');
    this.setRules(rules);
  }

  /** The rules in force, as declared. */
  get rules(): readonly FaultRule[] {
    return this.#plain;
  }

  /** How many requests got an error or a delay from a rule so far. */
  get injected(): number {
    return this.#injected;
  }

  /** Replaces every rule; throttle windows start afresh. */
  setRules(rules: readonly FaultRule[]): void {
    this.#plain = [...rules];
    this.#rules = rules.map((rule) => ({
      rule,
      operations: rule.operations === undefined ? undefined : new Set(rule.operations),
      sampleLatencyMs: rule.latency === undefined ? undefined : latencySampler(rule.latency, this.#random),
      window: -1,
      admitted: 0,
    }));
  }

  /**
   * The faults for one request. `requestKeyArn` is asked only when a rule in its window limits itself to keys, so
   * requests pay for the key look-up only then.
   */
  decide(operation: string, context: CallContext, requestKeyArn: () => string | undefined): FaultDecision {
    if (this.#rules.length === 0) return NO_FAULT;
    const now = this.#options.nowMs();
    let error: KmsError | undefined;
    let delayMs = 0;
    let keyArn: string | undefined | null = null;
    for (const active of this.#rules) {
      const rule = active.rule;
      if (now < rule.fromMs || (rule.untilMs !== undefined && now >= rule.untilMs)) continue;
      if (active.operations !== undefined && !active.operations.has(operation)) continue;
      if (rule.keys !== undefined) {
        if (keyArn === null) keyArn = requestKeyArn();
        const arn = keyArn;
        if (arn === undefined || !rule.keys.some((entry) => this.#options.keyArnOf(entry, context) === arn)) continue;
      }
      if (rule.throttlePerSec !== undefined && error === undefined) {
        const window = Math.floor(now / 1000);
        if (window !== active.window) {
          active.window = window;
          active.admitted = 0;
        }
        if (active.admitted >= rule.throttlePerSec) error = injectedError('ThrottlingException');
        else active.admitted++;
      }
      if (rule.error === undefined && active.sampleLatencyMs === undefined) continue;
      if (rule.rate < 1 && this.#random() >= rule.rate) continue;
      if (rule.error !== undefined) error ??= injectedError(rule.error);
      if (active.sampleLatencyMs !== undefined) delayMs += Math.max(0, active.sampleLatencyMs());
    }
    if (error === undefined && delayMs === 0) return NO_FAULT;
    this.#injected++;
    return { error, delayMs };
  }
}

function injectedError(name: FaultError): KmsError {
  return new KmsError(name, FAULT_MESSAGES[name]);
}
