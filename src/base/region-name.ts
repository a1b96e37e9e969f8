/**
 * What an AWS region name looks like, for every layer that takes one from a user (quota overrides, the model's callers,
 * scenario fields). Whether KMS *has* the region is the model's region table (kms/regions.ts); this is only the shape.
 */

/**
 * AWS's `<area>-<place>-<n>` (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`), lower-case ASCII. The length bound
 * keeps every name far inside the one-byte length the ciphertext blob stores it with (kms/ciphertext-blob.ts), so a
 * blob made in an added region always opens again.
 */
export const REGION_NAME_PATTERN = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
/** The longest region name accepted. */
export const REGION_NAME_MAX_CHARS = 64;

/** True when `name` has the shape of an AWS region name (not that KMS has it). */
export function isRegionName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= REGION_NAME_MAX_CHARS && REGION_NAME_PATTERN.test(name);
}
