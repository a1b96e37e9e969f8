/**
 * Who may call the model, and how much state callers may make it hold. Everything a caller names — its region, its
 * account, the keys it creates — becomes state that outlives the request, so each is checked or bounded before it is
 * kept, and a caller past a bound gets an error of its own while everyone else carries on.
 *
 * - Region: one of the regions KMS has (regions.ts, plus the `regions` option). KMS refuses a request signed for a
 *   region that is not its own with `InvalidSignatureException` ("Credential should be scoped to a valid region, not
 *   '…'", HTTP 400, the wording AWS's JSON services use — captured in aws/aws-sdk-ruby#431 for the 400 JSON body and
 *   in aws/aws-sdk-java#1097, fsouza/s3-upload-proxy#241 for the message); the model answers the same, whichever way
 *   the region reached it (SigV4 scope, host name, or `kms.call`).
 * - Account: a 12-digit AWS account id (the form every KMS ARN carries), and at most `limits.accounts` of them.
 * - Keys: KMS's resource quota per account and region (Developer Guide, "Resource quotas",
 *   https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html: 100,000 customer managed keys,
 *   adjustable), and a bound over the whole model, since accounts × regions × 100,000 keys is no bound at all. Both
 *   answer `LimitExceededException`, as KMS does for "requests to create an additional resource" past a quota.
 */
import { KmsError } from './errors.js';
import { LIMITS } from './limits.js';
import { kmsRegionSet } from './regions.js';
import { isRegionName, REGION_NAME_MAX_CHARS } from '../base/region-name.js';
import { describeValue } from '../base/text.js';
import type { PartitionAdmission } from './keystore.js';
import { OptionsError, type OptionsIssue } from '../base/options-error.js';

/** The account of callers that name none (the model's own); the account id AWS documentation uses in examples. */
export const DEFAULT_ACCOUNT_ID = '111122223333';

/** Bounds on what callers can make the model hold. */
export interface ModelLimits {
  /** Distinct calling accounts the model keeps partitions for. Default 1,000. */
  readonly accounts: number;
  /**
   * Keys the whole model holds, across accounts and regions. Default 10,000: each key may carry a 32 KiB policy, an
   * 8 KiB description, 50 tags and 50 aliases (~100 KiB), so the default caps a hostile caller near 1 GiB.
   */
  readonly keys: number;
  /** Keys per account and region: KMS's own resource quota, 100,000 (adjustable in KMS too). */
  readonly keysPerRegion: number;
}

/** The limits a model has unless its `limits` option says otherwise. */
export const DEFAULT_MODEL_LIMITS: ModelLimits = Object.freeze({
  accounts: 1_000,
  keys: 10_000,
  keysPerRegion: LIMITS.keysPerRegionMax,
});

/** Thrown by `new KmsModel(...)` for bad `regions` or `limits` options; carries every problem at once. */
export class KmsModelOptionsError extends OptionsError {
  constructor(issues: readonly OptionsIssue[]) {
    super('KmsModelOptionsError', issues);
  }
}

const ACCOUNT_ID = /^\d{12}$/;


/** The caller-facing model options, as given. */
export interface CallerOptions {
  readonly accountId?: unknown;
  readonly regions?: unknown;
  readonly limits?: unknown;
}

/**
 * Validates the `accountId`, `regions` and `limits` options; throws a {@link KmsModelOptionsError} naming every bad
 * one.
 */
export function resolveCallerOptions({ accountId, regions, limits }: CallerOptions): {
  regions: ReadonlySet<string>;
  limits: ModelLimits;
} {
  const issues: OptionsIssue[] = [];
  if (accountId !== undefined && (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId))) {
    issues.push({ path: 'accountId', message: `accountId must be a 12-digit AWS account id, got ${describeValue(accountId)}` });
  }
  const extra: string[] = [];
  if (regions !== undefined && !Array.isArray(regions)) {
    issues.push({ path: 'regions', message: `regions must be an array of region names, got ${describeValue(regions)}` });
  }
  for (const [i, region] of (Array.isArray(regions) ? (regions as unknown[]) : []).entries()) {
    if (isRegionName(region)) extra.push(region);
    else {
      issues.push({
        path: `regions[${i}]`,
        message:
          `regions[${i}] must be a region name like us-east-1 (lower-case letters, digits and dashes, at most ` +
          `${REGION_NAME_MAX_CHARS} characters), got ${describeValue(region)}`,
      });
    }
  }
  const resolved: Record<keyof ModelLimits, number> = { ...DEFAULT_MODEL_LIMITS };
  if (limits !== undefined && (limits === null || typeof limits !== 'object' || Array.isArray(limits))) {
    issues.push({ path: 'limits', message: `limits must be an object, got ${describeValue(limits)}` });
  } else if (limits !== undefined) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Object.hasOwn(DEFAULT_MODEL_LIMITS, name)) {
        issues.push({ path: `limits.${name}`, message: `limits.${name} is not a limit; expected accounts, keys or keysPerRegion` });
      } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        issues.push({ path: `limits.${name}`, message: `limits.${name} must be a positive integer, got ${describeValue(value)}` });
      } else {
        resolved[name as keyof ModelLimits] = value;
      }
    }
  }
  if (issues.length > 0) throw new KmsModelOptionsError(issues);
  return { regions: kmsRegionSet(extra), limits: resolved };
}

/** KMS's answer to a request scoped to a region it does not have (see the module comment). */
export function unknownRegion(region: unknown): KmsError {
  const shown = typeof region === 'string' ? (region.length > 64 ? `${region.slice(0, 64)}…` : region) : String(region);
  return new KmsError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${shown}'.`);
}

function contextError(problem: string): KmsError {
  return new KmsError('ValidationException', `The call context ${problem}; pass { region: 'us-east-1' } or another KMS region.`);
}

/**
 * Checks the shape of a call context before anything reads it: a missing context is a `ValidationException`, never a
 * `TypeError` from deep inside the model.
 */
export function requireCallContext(context: unknown): void {
  if (context === null || typeof context !== 'object') throw contextError(`must be an object, got ${describeValue(context)}`);
  const { region, accountId } = context as { region?: unknown; accountId?: unknown };
  if (typeof region !== 'string') throw contextError(`must name a region (a string), got ${describeValue(region)}`);
  if (accountId !== undefined && typeof accountId !== 'string') {
    throw contextError(`accountId must be a string, got ${describeValue(accountId)}`);
  }
  const { principal } = context as { principal?: unknown };
  if (principal !== undefined && typeof principal !== 'string') {
    throw contextError(`principal must be an ARN (a string), got ${describeValue(principal)}`);
  }
}

/** The keystore's admission: region, then account form, then the account bound. */
export function partitionAdmission(regions: ReadonlySet<string>, limits: ModelLimits): PartitionAdmission {
  return (accountId, region, newAccount, accounts) => {
    if (!regions.has(region)) throw unknownRegion(region);
    if (!ACCOUNT_ID.test(accountId)) {
      throw new KmsError('ValidationException', `The calling account must be a 12-digit AWS account id, got ${describeValue(accountId)}.`);
    }
    if (newAccount && accounts >= limits.accounts) {
      throw new KmsError(
        'LimitExceededException',
        `This kms-bench model already holds ${limits.accounts} accounts, its limit (model option limits.accounts); ` +
          `account ${accountId} cannot be added.`,
      );
    }
  };
}

/** Throws the `LimitExceededException` for one more key in `partition`'s region or in the model, if either is full. */
export function checkKeyRoom(limits: ModelLimits, keysInRegion: number, keysInModel: number, region: string): void {
  if (keysInRegion >= limits.keysPerRegion) {
    throw new KmsError(
      'LimitExceededException',
      `The request was rejected because the account already has ${limits.keysPerRegion} KMS keys in ${region}, the ` +
        `resource quota (model option limits.keysPerRegion).`,
    );
  }
  if (keysInModel >= limits.keys) {
    throw new KmsError(
      'LimitExceededException',
      `This kms-bench model already holds ${limits.keys} KMS keys, its limit across accounts and regions (model option ` +
        `limits.keys).`,
    );
  }
}
