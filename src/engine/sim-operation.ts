/**
 * One logical operation of the event-driven simulation (see direct-simulation.ts): the harness retry loop and the
 * direct client as a state machine. Attempt — the model decides at once and the attempt is recorded — then, after the
 * service latency if any, the answer: success, a fatal error, or a retry after the policy's backoff, as decided by
 * the one retry decision the promise-driven loop also asks (`decideRetry`, src/client/retry-decision.ts).
 */
import { attemptOutcomeOf, errorNameOf, INTERRUPTED } from '../client/bench-client.js';
import { decideRetry } from '../client/retry-decision.js';
import { classifyKmsError } from '../client/retry-loop.js';
import type { RetryOperation, RetryPolicy } from '../client/retry-policy.js';
import type { KmsModel } from '../kms/model.js';
import { THROTTLED } from '../kms/op-env.js';
import type { CallContext, KmsInput, KmsOutput } from '../kms/types.js';
import { isEnvelopeOperation } from '../metrics/cache-summary.js';
import type { AttemptOutcomeKind, MetricsHandle } from '../metrics/recorder.js';
import type { PlannedRequest } from '../workload/request-mix.js';
import { NS_PER_MS, type TimeSource } from '../base/time.js';
import type { Actor, EventQueue } from './event-queue.js';
import { EnvelopeStep, STEP_CALL, STEP_DONE, type EnvelopeFleet, type Step } from './sim-envelope.js';
import { classifyServiceError, serviceAttemptKind } from '../client/service-client.js';
import {
  isServiceOperationName,
  READ_DONE,
  SecretRead,
  serviceOperation,
  type ReadStep,
  type SecretCaches,
  type ServiceCaller,
  type ServiceInput,
  type ServiceWorld,
} from '../services/index.js';

/**
 * A fleet's part of the thread's AWS services (src/services): the world its service operations go to, the fleet as
 * their caller, and its secret caches when it has any.
 */
export interface ServiceFleet {
  readonly world: Pick<ServiceWorld, 'attempt' | 'cacheHit'>;
  readonly caller: ServiceCaller;
  readonly caches?: SecretCaches;
}

/**
 * A throttled attempt as the client sees it. The model answers a throttle with {@link THROTTLED} here rather than a
 * thrown `ThrottlingException` (a throw costs more than the rest of the request); the name is all a client reads.
 */
const THROTTLE_ANSWER = Object.freeze({ name: 'ThrottlingException' });

/** The input of no call: a finished operation lets go of its request's input without allocating. */
const NO_INPUT: KmsInput = Object.freeze({});

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
  readonly fleet: { readonly policy: RetryPolicy; readonly context: CallContext; readonly latencyMs?: (draw?: number, attempt?: number) => number };
  /** The fleet's data-key caches when its mix has envelope operations (sim-envelope.ts). */
  readonly envelope: EnvelopeFleet | undefined;
  /** The thread's services when the fleet's mix has service operations. */
  readonly services: ServiceFleet | undefined;
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
  /** Logical operations finished so far (the wall clock's progress count). */
  completed: number;
  /**
   * On the wall clock, real time: an operation ends when its last step has run, the model's work included, not when
   * the event that started the step was due. Absent in a simulation, where the event's time is the time.
   */
  readonly finishTime?: TimeSource;
}

/** What a closed client does when its operation ends. */
export interface OperationOwner {
  finished(endNs: number): void;
}

/** What a wake-up ends: the service latency (the answer arrives), a backoff, or a wait for another request's fetch. */
const AWAITING_ANSWER = 0;
const BACKING_OFF = 1;
const WAITING_FOR_FETCH = 2;

/**
 * One logical operation in flight: its KMS attempts, their answers and the backoffs between them. A plain request is
 * one KMS call; an envelope operation (sim-envelope.ts) is a cache lookup that may make one KMS call (GenerateDataKey
 * or Decrypt, retried like any request, its attempts counted against the envelope operation) or wait for another
 * request's.
 */
export class Operation implements Actor {
  readonly id: number;
  readonly #run: OperationFleet;
  readonly #client: OperationOwner | undefined;
  /** This operation's envelope state, made on its first envelope request. */
  #envelope: EnvelopeStep | undefined;
  /** True while the current request is an envelope operation. */
  #enveloping = false;
  /** True while the current call is a service request (an attempt goes to the services, not the model). */
  #serving = false;
  /** This operation's secret-cache read, made on its first cached read; `#reading` while one is in progress. */
  #read: SecretRead | undefined;
  #reading = false;
  /** The service operation and input of the current request (for counting a cache hit). */
  #serviceOperation = '';
  #serviceInput: ServiceInput = NO_INPUT;
  #handle: MetricsHandle | undefined;
  #bucket = '';
  /** The KMS call being made: the request itself, or the envelope's data-key call. */
  #callOperation = '';
  #callInput: KmsInput = NO_INPUT;
  #retry: RetryOperation | undefined;
  #intendedNs = 0;
  /** The request's draw key (PlannedRequest.draw): its attempts' service latency is drawn by it. */
  #draw: number | undefined;
  #attempts = 0;
  #failure: unknown;
  #output: KmsOutput | undefined;
  #state = AWAITING_ANSWER;
  /** Between {@link begin} and the end of the operation. */
  #busy = false;

  constructor(run: OperationFleet, client: OperationOwner | undefined) {
    this.#run = run;
    this.#client = client;
    this.id = run.queue.register(this);
  }

  /** Starts `request`; `client` numbers a closed workload's client (its data-key cache partition), unset when open. */
  begin(handle: MetricsHandle, request: PlannedRequest, intendedNs: number, client?: number): void {
    this.#handle = handle;
    this.#bucket = request.bucket;
    this.#intendedNs = intendedNs;
    this.#attempts = 0;
    this.#busy = true;
    this.#draw = request.draw;
    this.#serving = false;
    this.#reading = false;
    const envelope = this.#run.envelope;
    if (envelope !== undefined && isEnvelopeOperation(request.operation)) {
      this.#enveloping = true;
      this.#envelope ??= new EnvelopeStep(envelope, () => this.#run.queue.at(this.#run.queue.nowNs(), this.id));
      return this.#follow(this.#envelope.start(request, client));
    }
    this.#enveloping = false;
    const services = this.#run.services;
    if (services !== undefined && isServiceOperationName(request.operation)) {
      this.#serving = true;
      const caches = services.caches;
      if (caches !== undefined && serviceOperation(request.operation)?.cacheable === true) {
        this.#reading = true;
        this.#serviceOperation = request.operation;
        this.#serviceInput = request.input;
        this.#read ??= new SecretRead();
        return this.#followRead(this.#read.start(caches.cacheFor(client), String(request.input['SecretId'])));
      }
      return this.#call(request.operation, request.input);
    }
    this.#call(request.operation, request.input);
  }

  /**
   * The run was stopped (wall clock): an operation in flight ends now as {@link INTERRUPTED}, as the promise path's
   * sleeps end when the run's signal aborts them. A fetch it was making for the data-key cache is abandoned.
   */
  interrupt(nowNs: number): void {
    if (!this.#busy) return;
    if (this.#enveloping && this.#state !== WAITING_FOR_FETCH && this.#retry !== undefined) (this.#envelope as EnvelopeStep).failed();
    this.#finish(false, INTERRUPTED, nowNs);
  }

  /** What a secret-cache read asks next: another request, or its end (a hit made none). */
  #followRead(step: ReadStep): void {
    const read = this.#read as SecretRead;
    if (step !== READ_DONE) return this.#call(read.callOperation, read.callInput);
    const services = this.#run.services as ServiceFleet;
    if (read.hit) services.world.cacheHit(this.#serviceOperation, this.#serviceInput, services.caller);
    this.#serviceInput = NO_INPUT;
    return this.#finish(read.ok, read.errorName, this.#run.queue.nowNs());
  }

  wake(): void {
    // An interrupted operation's wake-up still queued (a stopped wall run): it has ended.
    if (!this.#busy) return;
    if (this.#state === BACKING_OFF) this.#attempt();
    else if (this.#state === AWAITING_ANSWER) this.#answer();
    else this.#follow((this.#envelope as EnvelopeStep).resumed());
  }

  /** One KMS call with the fleet's retry policy (a fresh per-call retry state, as the promise path's client makes). */
  #call(operation: string, input: KmsInput): void {
    this.#callOperation = operation;
    this.#callInput = input;
    this.#retry = this.#run.fleet.policy.startOperation();
    this.#attempt();
  }

  /** What an envelope step asks for next. */
  #follow(step: Step): void {
    const envelope = this.#envelope as EnvelopeStep;
    if (step === STEP_DONE) {
      const errorName = envelope.errorName;
      return this.#finish(errorName === undefined, errorName, this.#run.queue.nowNs());
    }
    // The data-key call draws its latency by the envelope operation's key, as the promise path's envelope client does.
    if (step === STEP_CALL) return this.#call(envelope.callOperation, envelope.callInput);
    this.#state = WAITING_FOR_FETCH;
  }

  #attempt(): void {
    const run = this.#run;
    this.#attempts++;
    let failure: unknown;
    let output: KmsOutput | undefined;
    let outcome: AttemptOutcomeKind;
    if (this.#serving) {
      // A service request: the service answers (its own quota, its KMS calls on the caller's behalf) in its own words.
      const services = run.services as ServiceFleet;
      const answer = services.world.attempt(this.#callOperation, this.#callInput, services.caller);
      if (answer.ok) output = answer.output;
      else failure = answer.error;
      outcome = serviceAttemptKind(answer);
    } else {
      try {
        output = run.model.attemptSync(this.#callOperation, this.#callInput, run.fleet.context);
        if (output === THROTTLED) failure = THROTTLE_ANSWER;
      } catch (error: unknown) {
        failure = error;
      }
      outcome = failure === undefined ? 'admitted' : failure === THROTTLE_ANSWER ? 'throttled' : attemptOutcomeOf(errorNameOf(failure));
    }
    (this.#handle as MetricsHandle).attempt(this.#bucket, outcome, run.queue.nowNs());
    this.#failure = failure;
    // Only an envelope step or a cached read reads the answer; a plain request's output is not kept past its attempt.
    this.#output = failure === undefined && (this.#enveloping || this.#reading) ? output : undefined;
    const latencyMs = run.fleet.latencyMs;
    if (latencyMs === undefined) return this.#answer();
    const answerNs = run.queue.nowNs() + nsOf(latencyMs(this.#draw, this.#attempts));
    // A success that nobody else can observe before it arrives (no budget refund, no in-flight slot freed, no data
    // key to cache) is finished now, as of its arrival time: one event per operation instead of two.
    if (failure === undefined && run.quietSuccess && !run.limitsInFlight && !this.#enveloping && !this.#reading) {
      if (answerNs > run.lastAnswerNs) run.lastAnswerNs = answerNs;
      return this.#finish(true, undefined, answerNs);
    }
    this.#state = AWAITING_ANSWER;
    run.queue.at(answerNs, this.id);
  }

  #answer(): void {
    const failure = this.#failure;
    const retry = this.#retry as RetryOperation;
    this.#failure = undefined;
    if (failure === undefined) {
      retry.onSuccess();
      if (this.#enveloping) {
        const output = this.#output as Record<string, unknown>;
        this.#output = undefined;
        return this.#follow((this.#envelope as EnvelopeStep).fetched(output));
      }
      if (this.#reading) {
        const output = this.#output as Record<string, unknown>;
        this.#output = undefined;
        return this.#followRead((this.#read as SecretRead).succeeded(output));
      }
      return this.#finish(true, undefined, this.#run.queue.nowNs());
    }
    const kind = failure === THROTTLE_ANSWER ? 'throttle' : this.#serving ? classifyServiceError(failure) : classifyKmsError(failure);
    const decision = decideRetry(retry, kind);
    if (decision.kind !== 'backoff') {
      if (this.#enveloping) (this.#envelope as EnvelopeStep).failed();
      if (this.#reading) return this.#followRead((this.#read as SecretRead).failed(errorNameOf(failure)));
      return this.#finish(false, errorNameOf(failure), this.#run.queue.nowNs());
    }
    this.#state = BACKING_OFF;
    this.#run.queue.after(decision.delayMs, this.id);
  }

  #finish(ok: boolean, errorName: string | undefined, answerNs: number): void {
    const run = this.#run;
    const endNs = run.finishTime === undefined ? answerNs : run.finishTime.nowNs();
    this.#busy = false;
    run.completed++;
    const latencyUs = Math.max(1, Math.round((endNs - this.#intendedNs) / 1000));
    (this.#handle as MetricsHandle).completed(ok, errorName, latencyUs, this.#attempts, endNs);
    this.#callInput = NO_INPUT;
    this.#retry = undefined;
    if (this.#client !== undefined) return this.#client.finished(endNs);
    run.inFlight--;
    run.free.push(this);
  }
}
