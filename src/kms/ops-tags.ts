/**
 * TagResource, UntagResource and ListResourceTags, and the tag validation CreateKey shares. Limits: tag keys
 * 1..128 characters, values 0..256, at most 50 tags per key; keys starting with `aws:` are reserved for AWS (AWS KMS
 * Developer Guide, "Tagging keys"; API reference, Tag). KMS answers a tag it refuses with TagException.
 */
import { bucketFor } from '../quota/index.js';
import { KmsError } from './errors.js';
import { requireKeyId, resolveKey, resolveManageableKey } from './key-metadata.js';
import { LIMITS } from './limits.js';
import type { OpHandler } from './op-env.js';
import { listPage, pageOutput, readPaging, sortedBy } from './paging.js';
import type { KmsInput } from './types.js';
import { validationError } from './validate.js';

/** AWS reserves the `aws:` prefix in any letter case (Developer Guide, "Tagging keys"). */
function isReservedTagKey(tagKey: string): boolean {
  return tagKey.slice(0, 4).toLowerCase() === 'aws:';
}

function reservedTag(tagKey: string): KmsError {
  return new KmsError('TagException', `Tag keys beginning with "aws:" are reserved for AWS use: ${tagKey}`);
}

function checkTagString(field: string, value: unknown, min: number, max: number): string {
  if (value === undefined || value === null) throw validationError(field, 'Member must not be null');
  if (typeof value !== 'string') throw validationError(field, 'Member must be a string');
  if (value.length < min) throw validationError(field, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw validationError(field, `Member must have length less than or equal to ${max}`);
  return value;
}

/**
 * Reads a list of `{TagKey, TagValue}`. Shape and length violations are ValidationExceptions (checked first, as the
 * service front end does); a reserved key is a TagException. A key given twice keeps its last value.
 */
export function parseTags(input: KmsInput, field: string): Map<string, string> | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw validationError(field, 'Member must be a list of tags');
  const tags = new Map<string, string>();
  value.forEach((tag: unknown, i) => {
    const path = `${field}.${i + 1}.member`;
    if (tag === null || typeof tag !== 'object' || Array.isArray(tag)) throw validationError(path, 'Member must be a tag');
    const { TagKey, TagValue } = tag as { TagKey?: unknown; TagValue?: unknown };
    const tagKey = checkTagString(`${path}.tagKey`, TagKey, 1, LIMITS.tagKeyMaxChars);
    const tagValue = checkTagString(`${path}.tagValue`, TagValue, 0, LIMITS.tagValueMaxChars);
    tags.set(tagKey, tagValue);
  });
  for (const tagKey of tags.keys()) {
    if (isReservedTagKey(tagKey)) throw reservedTag(tagKey);
  }
  return tags;
}

/** Refuses a tag set larger than a key may hold. */
export function checkTagCount(count: number): void {
  if (count > LIMITS.tagsPerKeyMax) {
    throw new KmsError('TagException', `A KMS key can have at most ${LIMITS.tagsPerKeyMax} tags; the request would leave ${count}.`);
  }
}

function parseTagKeys(input: KmsInput): string[] {
  const value = input.TagKeys;
  if (value === undefined || value === null) throw validationError('TagKeys', 'Member must not be null');
  if (!Array.isArray(value)) throw validationError('TagKeys', 'Member must be a list of strings');
  return value.map((tagKey: unknown, i) => checkTagString(`TagKeys.${i + 1}.member`, tagKey, 1, LIMITS.tagKeyMaxChars));
}

/** TagResource: adds tags, replacing the value of a key already present (API reference, TagResource). */
const tagResource: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const tags = parseTags(input, 'Tags');
  if (tags === undefined) throw validationError('Tags', 'Member must not be null');
  const key = resolveManageableKey(env, caller, keyId);
  let count = key.tags.size;
  for (const tagKey of tags.keys()) if (!key.tags.has(tagKey)) count++;
  checkTagCount(count);
  const bucket = bucketFor('TagResource');
  env.authorize(ctx, caller, 'kms:TagResource', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  for (const [tagKey, tagValue] of tags) key.tags.set(tagKey, tagValue);
  return {};
};

/** UntagResource: removes the named tags; keys the KMS key does not have are ignored (API reference, UntagResource). */
const untagResource: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const tagKeys = parseTagKeys(input);
  const reserved = tagKeys.find(isReservedTagKey);
  if (reserved !== undefined) throw reservedTag(reserved);
  const key = resolveManageableKey(env, caller, keyId);
  const bucket = bucketFor('UntagResource');
  env.authorize(ctx, caller, 'kms:UntagResource', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  for (const tagKey of tagKeys) key.tags.delete(tagKey);
  return {};
};

/** ListResourceTags: works in every key state; pages of at most 50 tags, ordered by tag key. */
const listResourceTags: OpHandler = (env, input, ctx, caller) => {
  const keyId = requireKeyId(input);
  const paging = readPaging(input, LIMITS.listTagsLimitDefault, LIMITS.listTagsLimitMax);
  const key = resolveKey(env, caller, keyId);
  const page = listPage(sortedBy(key.tags.entries(), ([tagKey]) => tagKey), ([tagKey]) => tagKey, paging, `tags/${key.keyId}`);
  const bucket = bucketFor('ListResourceTags');
  env.authorize(ctx, caller, 'kms:ListResourceTags', key, input, bucket);
  env.charge(ctx, caller, bucket, key);
  return pageOutput('Tags', page, ([TagKey, TagValue]) => ({ TagKey, TagValue }));
};

export const TAG_OPS: Readonly<Record<string, OpHandler>> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListResourceTags: listResourceTags,
};
