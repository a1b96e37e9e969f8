/**
 * Principals and key policies in their normalized form: each principal's ARN with its IAM policies as JSON text, and
 * each key's policy as the JSON text the model stores, a template expanded with the ARNs of the principals it names.
 * The template's statements are the model's (kms/ policy templates), so a scenario and a `CreateKey` with the same
 * template give the same policy.
 */
import { keyUserAdminPolicy } from '../kms/policy-templates.js';
import type { ParsedKeyPolicy } from './principals.js';
import type { PrincipalSpec } from './types.js';

/** `principals` as parsed → name → principal, in document order. */
export function normalizePrincipals(parsed: Readonly<Record<string, { arn: string; policies: readonly string[] }>>): Map<string, PrincipalSpec> {
  return new Map(Object.entries(parsed).map(([name, entry]) => [name, { arn: entry.arn, policies: entry.policies }]));
}

/**
 * The JSON text of a key's policy, or undefined for KMS's default key policy (the model applies it to a key seeded
 * without one). `accountId` is the key's account, whose root the template keeps as the IAM delegation.
 */
export function keyPolicyText(
  policy: ParsedKeyPolicy | undefined,
  accountId: string,
  principals: ReadonlyMap<string, PrincipalSpec>,
): string | undefined {
  switch (policy?.kind) {
    case undefined:
    case 'default':
      return undefined;
    case 'document':
      return policy.text;
    case 'template': {
      // Names were checked by principal-rules.ts; anything else is an ARN written out.
      const arnOf = (name: string): string => principals.get(name)?.arn ?? name;
      return keyUserAdminPolicy({ accountId, users: policy.users.map(arnOf), admins: policy.admins.map(arnOf) });
    }
  }
}
