/**
 * Region fields of a scenario: a name KMS has (src/kms/regions.ts), checked at validation with the near miss named, so a
 * made-up region is bad input (exit 2) rather than a model that refuses to start.
 */
import * as z from 'zod';
import { kmsRegionSet } from '../kms/regions.js';
import { isRegionName } from '../base/region-name.js';
import { describeValue, didYouMean } from '../base/text.js';

const KNOWN_REGIONS = kmsRegionSet();

const isKmsRegion = (value: string): boolean => KNOWN_REGIONS.has(value);

function regionMessage(input: unknown, alsoAccepted: string): string {
  return isRegionName(input)
    ? `${describeValue(input)} is not a region KMS has${didYouMean(input, [...KNOWN_REGIONS])} (src/kms/regions.ts)`
    : `${describeValue(input)} is not an AWS region name (e.g. us-east-1)${alsoAccepted}`;
}

/**
 * A region KMS has; `wildcard` (e.g. `default`, `*`) is accepted too, and `alsoAccepted` says so in the message.
 */
export function regionField(wildcard?: string, alsoAccepted = ''): z.ZodType<string> {
  return z.string().refine((value) => value === wildcard || isKmsRegion(value), { error: (issue) => regionMessage(issue.input, alsoAccepted) });
}

/** What is wrong with `value` as a region KMS has (`alsoAccepted` as in {@link regionField}), or undefined if nothing. */
export function regionProblem(value: unknown, alsoAccepted = ''): string | undefined {
  return typeof value === 'string' && isKmsRegion(value) ? undefined : regionMessage(value, alsoAccepted);
}
