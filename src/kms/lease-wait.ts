/**
 * A request refused only because a shared quota store's next lease had not come yet (a lease miss) waits for that
 * lease — asynchronously, so other requests go on — and is decided again. The shared-memory store never misses, so
 * `KmsModel` takes this path only with a remote store.
 */
import type { QuotaBoard } from '../quota/index.js';
import { KmsError } from './errors.js';
import type { CallContext, KmsInput, KmsOutput } from './types.js';

/**
 * How many leases one request may wait for before it is throttled as it stands: a bound, so a request can never wait
 * forever behind others (each wait is one round trip, itself bounded by the store's timeout).
 */
const MAX_LEASE_WAITS = 64;

/** What this needs of `KmsModel` (taken by shape: the model imports this module). */
interface LeaseWaitingModel {
  readonly quotaBoard: QuotaBoard | undefined;
  callSync(operation: string, input: KmsInput, context: CallContext): KmsOutput;
}

/**
 * `model.callSync(...)`, except that a request refused only because the next lease had not come yet waits for it and
 * is decided again: the answer is then a promise. With the shared-memory store it is `callSync` exactly.
 */
export function callAwaitingLease(model: LeaseWaitingModel, operation: string, input: KmsInput, context: CallContext): KmsOutput | Promise<KmsOutput> {
  const quota = model.quotaBoard;
  // The shared-memory store never misses: its path stays `callSync`, nothing added.
  if (quota === undefined || quota.options.store.kind === 'memory') return model.callSync(operation, input, context);
  return decideAwaitingLease(quota, () => model.callSync(operation, input, context));
}

/**
 * `decide()` (the model's `callSync` of one request), again after each lease miss it meets: the output at once when
 * it needs no wait, else a promise of it.
 */
function decideAwaitingLease(quota: QuotaBoard, decide: () => KmsOutput): KmsOutput | Promise<KmsOutput> {
  let waits = 0;
  const attempt = (): KmsOutput | Promise<KmsOutput> => {
    // A miss left over from a request answered otherwise (a denial charged with countRefusal false) is not ours.
    quota.takeLeaseMiss();
    try {
      return decide();
    } catch (error) {
      // Requests waiting on one lease share its tokens: one that finds them taken waits for the next lease.
      const throttled = error instanceof KmsError && error.name === 'ThrottlingException';
      const miss = throttled && waits++ < MAX_LEASE_WAITS ? quota.takeLeaseMiss() : undefined;
      if (miss === undefined) throw error;
      return miss.settled.then(() => {
        miss.undo();
        return attempt();
      });
    }
  };
  return attempt();
}
