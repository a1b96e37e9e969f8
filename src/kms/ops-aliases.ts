/**
 * CreateAlias, UpdateAlias, DeleteAlias and ListAliases. An alias lives in one (account, region), names exactly one
 * key of that account, and is deleted with its key. Names: `alias/` + a name, 1..256 characters matching
 * `^[a-zA-Z0-9:/_-]+$`; `alias/aws/` is reserved for AWS managed keys (API reference, CreateAlias; aws-kms-facts.md
 * §3). Error names follow what KMS answers, as recorded by moto and local-kms: a bad pattern or missing prefix is a
 * ValidationException, a reserved name NotAuthorizedException, `alias/` with no name InvalidAliasNameException.
 *
 * Permissions ("Required permissions" in each API reference): the action on the alias, which only IAM policies can
 * grant (an alias has no policy; resource `arn:aws:kms:<region>:<account>:alias/<name>`), and on the key in its key
 * policy — for UpdateAlias on both the current key and the new one. The alias is checked first.
 */
import { bucketFor } from '../quota/index.js';
import { KmsError } from './errors.js';
import { purgeDeletedKeys, requireKeyId, resolveKey, resolveManageableKey } from './key-metadata.js';
import type { AliasRecord, KeyRecord, Partition } from './keystore.js';
import { LIMITS } from './limits.js';
import type { OpHandler } from './op-env.js';
import { listPage, pageOutput, readPaging, sortedBy } from './paging.js';
import type { KmsInput } from './types.js';
import { requireString, validationError } from './validate.js';

const ALIAS_PATTERN = /^[a-zA-Z0-9:/_-]+$/;
const ALIAS_PREFIX = 'alias/';
const RESERVED_PREFIX = 'alias/aws/';

/** Reads and checks AliasName: the API's length and pattern, then KMS's own rules on the prefix. */
function requireAliasName(input: KmsInput): string {
  const name = requireString(input, 'AliasName', LIMITS.aliasNameMaxChars);
  if (!ALIAS_PATTERN.test(name)) {
    throw validationError('AliasName', `Member must satisfy regular expression pattern: ${ALIAS_PATTERN.source}`);
  }
  if (!name.startsWith(ALIAS_PREFIX)) {
    throw new KmsError(
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (name.length === ALIAS_PREFIX.length) {
    throw new KmsError('InvalidAliasNameException', 'Alias name must have a name after the prefix "alias/".');
  }
  if (name.startsWith(RESERVED_PREFIX)) {
    throw new KmsError('NotAuthorizedException', `Cannot use an alias with the reserved prefix 'alias/aws/': ${name}`);
  }
  // The pattern admits ':', but an alias name with one could not be told from an ARN; KMS refuses it.
  if (name.includes(':')) {
    throw new KmsError('ValidationException', `${name} contains invalid characters for an alias`);
  }
  return name;
}

/** TargetKeyId must name a key (key id or key ARN), never another alias. */
function requireTargetKeyId(input: KmsInput): string {
  const target = requireKeyId(input, 'TargetKeyId');
  if (target.startsWith(ALIAS_PREFIX) || /^arn:[^:]*:kms:[^:]*:[^:]*:alias\//.test(target)) {
    throw new KmsError('ValidationException', 'Aliases must refer to keys. Not aliases');
  }
  return target;
}

function notFound(caller: Partition, aliasName: string): KmsError {
  return new KmsError('NotFoundException', `Alias ${caller.aliasArn(aliasName)} is not found.`);
}

/** Symmetric encryption, asymmetric (RSA/ECC) or HMAC: UpdateAlias may only move an alias within one kind. */
function keyKind(key: KeyRecord): string {
  return key.family === 'rsa' || key.family === 'ecc' ? 'asymmetric' : key.family;
}

function aliasesOf(partition: Partition, keyId: string): number {
  let count = 0;
  for (const alias of partition.aliases.values()) if (alias.targetKeyId === keyId) count++;
  return count;
}

const createAlias: OpHandler = (env, input, ctx, caller) => {
  const aliasName = requireAliasName(input);
  const targetId = requireTargetKeyId(input);
  purgeDeletedKeys(env, caller);
  // The target must be in this account and not pending deletion (key-state table, CreateAlias).
  const key = resolveManageableKey(env, caller, targetId);
  const bucket = bucketFor('CreateAlias');
  env.authorize(ctx, caller, 'kms:CreateAlias', undefined, input, bucket, caller.aliasArn(aliasName));
  env.authorize(ctx, caller, 'kms:CreateAlias', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  if (caller.aliases.has(aliasName)) {
    throw new KmsError('AlreadyExistsException', `An alias with the name ${caller.aliasArn(aliasName)} already exists`);
  }
  if (aliasesOf(caller, key.keyId) >= LIMITS.aliasesPerKeyMax) {
    throw new KmsError('LimitExceededException', `${key.arn} already has the maximum of ${LIMITS.aliasesPerKeyMax} aliases.`);
  }
  const now = new Date(env.nowMs());
  caller.aliases.set(aliasName, {
    aliasName,
    aliasArn: caller.aliasArn(aliasName),
    targetKeyId: key.keyId,
    creationDate: now,
    lastUpdatedDate: now,
  });
  return {};
};

/**
 * UpdateAlias: the new key must be of the same kind (symmetric encryption, asymmetric or HMAC) and key usage as the
 * current one (API reference, UpdateAlias), "to prevent errors in code that uses aliases".
 */
const updateAlias: OpHandler = (env, input, ctx, caller) => {
  const aliasName = requireAliasName(input);
  const targetId = requireTargetKeyId(input);
  purgeDeletedKeys(env, caller);
  const alias = caller.aliases.get(aliasName);
  if (alias === undefined) throw notFound(caller, aliasName);
  const key = resolveManageableKey(env, caller, targetId);
  const current = caller.keys.get(alias.targetKeyId);
  if (current !== undefined && (keyKind(current) !== keyKind(key) || current.keyUsage !== key.keyUsage)) {
    throw new KmsError(
      'ValidationException',
      `${aliasName} points to a ${current.keySpec} key with usage ${current.keyUsage}; it cannot be moved to ${key.arn} ` +
        `(${key.keySpec}, ${key.keyUsage}). The new key must be of the same type and key usage.`,
    );
  }
  const bucket = bucketFor('UpdateAlias');
  env.authorize(ctx, caller, 'kms:UpdateAlias', undefined, input, bucket, alias.aliasArn);
  // Moving an alias takes the permission on the key it leaves as well as on the key it goes to.
  if (current !== undefined) env.authorize(ctx, caller, 'kms:UpdateAlias', current, input, bucket);
  env.authorize(ctx, caller, 'kms:UpdateAlias', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  if (alias.targetKeyId !== key.keyId && aliasesOf(caller, key.keyId) >= LIMITS.aliasesPerKeyMax) {
    throw new KmsError('LimitExceededException', `${key.arn} already has the maximum of ${LIMITS.aliasesPerKeyMax} aliases.`);
  }
  caller.aliases.set(aliasName, { ...alias, targetKeyId: key.keyId, lastUpdatedDate: new Date(env.nowMs()) });
  return {};
};

/** DeleteAlias works whatever the state of the key it points to. */
const deleteAlias: OpHandler = (env, input, ctx, caller) => {
  const aliasName = requireAliasName(input);
  purgeDeletedKeys(env, caller);
  const alias = caller.aliases.get(aliasName);
  if (alias === undefined) throw notFound(caller, aliasName);
  const bucket = bucketFor('DeleteAlias');
  env.authorize(ctx, caller, 'kms:DeleteAlias', undefined, input, bucket, alias.aliasArn);
  env.authorize(ctx, caller, 'kms:DeleteAlias', caller.keys.get(alias.targetKeyId), input, bucket);
  env.charge(ctx, caller, bucket, caller.keys.get(alias.targetKeyId));
  caller.aliases.delete(aliasName);
  return {};
};

/** ListAliases: the caller's aliases in this region, optionally those of one key, ordered by name (100 per page). */
const listAliases: OpHandler = (env, input, ctx, caller) => {
  const keyId = input.KeyId === undefined || input.KeyId === null ? undefined : requireKeyId(input);
  const paging = readPaging(input, LIMITS.listAliasesLimitDefault, LIMITS.listAliasesLimitMax);
  purgeDeletedKeys(env, caller);
  const key = keyId === undefined ? undefined : resolveKey(env, caller, keyId);
  let aliases: Iterable<AliasRecord> = caller.aliases.values();
  if (key !== undefined) aliases = [...aliases].filter((alias) => alias.targetKeyId === key.keyId && key.accountId === caller.accountId);
  const page = listPage(
    sortedBy(aliases, (alias) => alias.aliasName),
    (alias) => alias.aliasName,
    paging,
    key === undefined ? 'aliases' : `aliases/${key.keyId}`,
  );
  const bucket = bucketFor('ListAliases');
  env.authorize(ctx, caller, 'kms:ListAliases', undefined, input, bucket);
  env.charge(ctx, caller, bucket);
  return pageOutput('Aliases', page, (alias) => ({
    AliasName: alias.aliasName,
    AliasArn: alias.aliasArn,
    TargetKeyId: alias.targetKeyId,
    CreationDate: alias.creationDate,
    LastUpdatedDate: alias.lastUpdatedDate,
  }));
};

export const ALIAS_OPS: Readonly<Record<string, OpHandler>> = {
  CreateAlias: createAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
};
