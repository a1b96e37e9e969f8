/**
 * One logical operation of the event-driven simulation (see direct-simulation.ts): the harness retry loop and the
 * direct client as a state machine. Attempt — the model decides at once and the attempt is recorded — then, after the
 * service latency if any, the answer: success, a fatal error, or a retry after the policy's backoff, as decided by
 * the one retry decision the promise-driven loop also asks (`decideRetry`, src/client/retry-decision.ts).
 */
import { attemptOutcomeOf, errorNameOf } from '../client/bench-client.js';
import { decideRetry } from '../client/retry-decision.js';
import { classifyKmsError } from '../client/retry-loop.js';
import type { RetryOperation, RetryPolicy } from '../client/retry-policy.js';
import type { KmsModel } from '../kms/model.js';
import { THROTTLED } from '../kms/op-env.js';
import type { CallContext } from '../kms/types.js';
import type { MetricsHandle } from '../metrics/recorder.js';
import type { PlannedRequest } from '../workload/request-mix.js';
import { NS_PER_MS } from '../base/time.js';
import type { Actor, EventQueue } from './event-queue.js';

/**
 * A throttled attempt as the client sees it. The model answers a throttle with {@link THROTTLED} here rather than a
 * thrown `ThrottlingException` (a throw costs more than the rest of the request); the name is all a client reads.
 */
const THROTTLE_ANSWER = Object.freeze({ name: 'ThrottlingException' });

/** A delay in ms as the queue adds it (`EventQueue.after`): negative and zero delays are none. */
export function nsOf(ms: number): number {
  return ms > 0 ? ms * NS_PER_MS : 0;
}

/**
 * What an operation needs of the fleet it runs in: direct-simulation.ts's `FleetRun`, which implements it. Declared
 * here, not imported from there, so the fleet (which makes operations) and the operation do not import each other.
 */
export interface OperationFleet {
  readonly queue: EventQueue;
  readonly model: Pick<KmsModel, 'attemptSync'>;
  readonly fleet: { readonly policy: RetryPolicy; readonly context: CallContext; readonly latencyMs?: () => number };
  /** True when a success changes nothing another operation can see (no token budget to refund). */
  readonly quietSuccess: boolean;
  /** Whether an open fleet limits operations in flight. */
  readonly limitsInFlight: boolean;
  /** The latest answer finished without an event of its own. */
  lastAnswerNs: number;
  /** Operations of an open fleet in flight. */
  inFlight: number;
  /** Finished operations of an open fleet, reused by later arrivals. */
  readonly free: Operation[];
}

/** What a closed client does when its operation ends. */
export interface OperationOwner {
  finished(endNs: number): void;
}

/** One logical operation in flight: its attempts, their answers and the backoffs between them. */
export class Operation implements Actor {
  readonly id: number;
  readonly #run: OperationFleet;
  readonly #client: OperationOwner | undefined;
  #handle: MetricsHandle | undefined;
  #request: PlannedRequest | undefined;
  #retry: RetryOperation | undefined;
  #intendedNs = 0;
  #attempts = 0;
  #failure: unknown;
  /** What a wake-up ends: a backoff (attempt again) or the service latency (the answer arrives). */
  #backingOff = false;

  constructor(run: OperationFleet, client: OperationOwner | undefined) {
    this.#run = run;
    this.#client = client;
    this.id = run.queue.register(this);
  }

  begin(handle: MetricsHandle, request: PlannedRequest, intendedNs: number): void {
    this.#handle = handle;
    this.#request = request;
    this.#intendedNs = intendedNs;
    this.#attempts = 0;
    this.#retry = this.#run.fleet.policy.startOperation();
    this.#attempt();
  }

  wake(): void {
    if (this.#backingOff) this.#attempt();
    else this.#answer();
  }

  #attempt(): void {
    const run = this.#run;
    const request = this.#request as PlannedRequest;
    this.#attempts++;
    let failure: unknown;
    try {
      if (run.model.attemptSync(request.operation, request.input, run.fleet.context) === THROTTLED) failure = THROTTLE_ANSWER;
    } catch (error: unknown) {
      failure = error;
    }
    const outcome = failure === undefined ? 'admitted' : failure === THROTTLE_ANSWER ? 'throttled' : attemptOutcomeOf(errorNameOf(failure));
    (this.#handle as MetricsHandle).attempt(request.bucket, outcome, run.queue.nowNs());
    this.#failure = failure;
    const latencyMs = run.fleet.latencyMs;
    if (latencyMs === undefined) return this.#answer();
    const answerNs = run.queue.nowNs() + nsOf(latencyMs());
    // A success that nobody else can observe before it arrives (no budget refund, no in-flight slot freed) is
    // finished now, as of its arrival time: one event per operation instead of two.
    if (failure === undefined && run.quietSuccess && !run.limitsInFlight) {
      if (answerNs > run.lastAnswerNs) run.lastAnswerNs = answerNs;
      return this.#finish(true, undefined, answerNs);
    }
    this.#backingOff = false;
    run.queue.at(answerNs, this.id);
  }

  #answer(): void {
    const failure = this.#failure;
    const retry = this.#retry as RetryOperation;
    this.#failure = undefined;
    if (failure === undefined) {
      retry.onSuccess();
      return this.#finish(true, undefined, this.#run.queue.nowNs());
    }
    const kind = failure === THROTTLE_ANSWER ? 'throttle' : classifyKmsError(failure);
    const decision = decideRetry(retry, kind);
    if (decision.kind !== 'backoff') return this.#finish(false, errorNameOf(failure), this.#run.queue.nowNs());
    this.#backingOff = true;
    this.#run.queue.after(decision.delayMs, this.id);
  }

  #finish(ok: boolean, errorName: string | undefined, endNs: number): void {
    const run = this.#run;
    const latencyUs = Math.max(1, Math.round((endNs - this.#intendedNs) / 1000));
    (this.#handle as MetricsHandle).completed(ok, errorName, latencyUs, this.#attempts, endNs);
    this.#request = undefined;
    this.#retry = undefined;
    if (this.#client !== undefined) return this.#client.finished(endNs);
    run.inFlight--;
    run.free.push(this);
  }
}
