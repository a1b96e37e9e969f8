/**
 * What the endpoint calls for each KMS request: the model, behind the declared service latency and the fault rules,
 * telling the state keeper when a request changed what `--state` keeps.
 */
import { seededRandom } from '../base/random.js';
import type { KmsModel } from '../kms/model.js';
import type { CallContext, KmsCallable, KmsInput, KmsOutput } from '../kms/types.js';
import type { LatencySpec } from '../scenario/types.js';
import { latencySampler } from '../workload/service-latency.js';
import type { FaultInjector } from './fault-injector.js';
import { STATE_CHANGING_OPERATIONS } from './request-classes.js';

/** What the target needs besides the model. */
export interface ServeTargetOptions {
  readonly faults: FaultInjector;
  /** Service latency per region, or `default`; a region with neither gets none. */
  readonly serviceLatency: Readonly<Record<string, LatencySpec>>;
  readonly seed: number;
  /** A state-changing request succeeded. */
  readonly onStateChanged: () => void;
  /** A request got an injected fault: its error name, or `latency` for a delay alone. */
  readonly onFault: (operation: string, code: string) => void;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The model as the endpoint serves it. */
export function serveTarget(model: KmsModel, options: ServeTargetOptions): KmsCallable {
  const random = seededRandom(options.seed, 'serve service latency');
  const samplers = new Map<string, (() => number) | undefined>();
  const latencyOf = (region: string): number => {
    let sampler = samplers.get(region);
    if (!samplers.has(region)) {
      const spec = options.serviceLatency[region] ?? options.serviceLatency['default'];
      sampler = spec === undefined ? undefined : latencySampler(spec, random);
      samplers.set(region, sampler);
    }
    return sampler === undefined ? 0 : Math.max(0, sampler());
  };
  return {
    async call(operation: string, input: KmsInput, context: CallContext): Promise<KmsOutput> {
      const fault = options.faults.decide(operation, context, () => model.peekKey(input, context)?.arn);
      const delayMs = latencyOf(context.region) + fault.delayMs;
      if (delayMs > 0) await wait(delayMs);
      if (fault.error !== undefined || fault.delayMs > 0) options.onFault(operation, fault.error?.name ?? 'latency');
      if (fault.error !== undefined) throw fault.error;
      const output = await model.call(operation, input, context);
      if (STATE_CHANGING_OPERATIONS.has(operation)) options.onStateChanged();
      return output;
    },
  };
}
