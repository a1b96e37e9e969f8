/**
 * What the serve layer reads from one answered request: the quota bucket it belongs to (the model's one rule,
 * `bucketFor`, given the key spec the model holds for the request's key), who called, and whether it changed the
 * model's state (so that `--state` is written).
 */
import type { KmsModel } from '../kms/model.js';
import type { CallContext, KmsInput } from '../kms/types.js';
import { bucketFor } from '../quota/classify.js';

/** Operations that change what `--state` keeps (keys, aliases, policies, states, rotation, tags). */
export const STATE_CHANGING_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateKey',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'RotateKeyOnDemand',
  'PutKeyPolicy',
  'UpdateKeyDescription',
  'TagResource',
  'UntagResource',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
]);

/** Bucket label of a request that named no known operation. */
export const NO_BUCKET = 'none';
/** Bucket label of a request whose key (and so its bucket) could not be found. */
export const UNKNOWN_BUCKET = 'unknown';

/** The quota bucket a request is charged to, as a metric label. */
export function bucketOf(model: KmsModel, operation: string | undefined, input: KmsInput | undefined, context: CallContext | undefined): string {
  if (operation === undefined) return NO_BUCKET;
  try {
    switch (operation) {
      case 'Encrypt':
      case 'Decrypt':
      case 'Sign':
      case 'Verify': {
        if (input === undefined || context === undefined) return UNKNOWN_BUCKET;
        const key = model.peekKey(input, context);
        // A Decrypt without KeyId whose blob names no key held here still costs a symmetric request.
        if (key === undefined && operation !== 'Decrypt') return UNKNOWN_BUCKET;
        return bucketFor(operation, key?.keySpec);
      }
      case 'ReEncrypt': {
        if (input === undefined || context === undefined) return UNKNOWN_BUCKET;
        const source = model.peekKey(input, context);
        const destinationId = input['DestinationKeyId'];
        const destination = typeof destinationId === 'string' ? model.peekKey({ KeyId: destinationId }, context) : undefined;
        return bucketFor(operation, source?.keySpec, destination?.keySpec);
      }
      case 'GenerateDataKeyPair':
      case 'GenerateDataKeyPairWithoutPlaintext':
        return bucketFor(operation, undefined, typeof input?.['KeyPairSpec'] === 'string' ? input['KeyPairSpec'] : undefined);
      default:
        return bucketFor(operation);
    }
  } catch {
    return UNKNOWN_BUCKET;
  }
}

/** The calling principal as a label: the context's, else the calling account's root. */
export function principalOf(model: KmsModel, context: CallContext | undefined): { readonly account: string; readonly principal: string } {
  const account = context?.accountId ?? model.accountId;
  return { account, principal: context?.principal ?? `arn:aws:iam::${account}:root` };
}
