/**
 * The IAM actions of KMS, the names policies allow and deny (Service Authorization Reference, "Actions defined by AWS
 * Key Management Service", https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
 * Wildcards in a policy (`kms:*`, `kms:ReEncrypt*`, `kms:Describe*`) are expanded against this list once, when the
 * policy is compiled, so a request looks its action up instead of matching patterns.
 *
 * Most operations authorize as the action of their own name. ReEncrypt is two actions, `kms:ReEncryptFrom` on the
 * source key and `kms:ReEncryptTo` on the destination key (API reference, ReEncrypt, "Required permissions").
 */

/** Every KMS action a policy can name, including those the model does not answer (they still match wildcards). */
export const KMS_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:ConnectCustomKeyStore',
  'kms:CreateAlias',
  'kms:CreateCustomKeyStore',
  'kms:CreateGrant',
  'kms:CreateKey',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DeleteCustomKeyStore',
  'kms:DeleteImportedKeyMaterial',
  'kms:DeriveSharedSecret',
  'kms:DescribeCustomKeyStores',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:DisconnectCustomKeyStore',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:GenerateRandom',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:GetParametersForImport',
  'kms:GetPublicKey',
  'kms:ImportKeyMaterial',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListKeys',
  'kms:ListResourceTags',
  'kms:ListRetirableGrants',
  'kms:PutKeyPolicy',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:ReplicateKey',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:Sign',
  'kms:SynchronizeMultiRegionKey',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateCustomKeyStore',
  'kms:UpdateKeyDescription',
  'kms:UpdatePrimaryRegion',
  'kms:Verify',
  'kms:VerifyMac',
] as const;

/** A KMS action as policies name it, e.g. `kms:Encrypt`. */
export type KmsAction = (typeof KMS_ACTIONS)[number];

/**
 * Actions that never work across accounts, whatever the policies say ("Cross-account use: No" in each operation's API
 * reference; Developer Guide, "Allowing users in other accounts to use a KMS key"): everything but the cryptographic
 * operations, DescribeKey, GetPublicKey, GetKeyRotationStatus and the grant operations.
 */
const CROSS_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set<KmsAction>([
  'kms:Decrypt',
  'kms:DeriveSharedSecret',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:GetKeyRotationStatus',
  'kms:GetPublicKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:Sign',
  'kms:Verify',
  'kms:VerifyMac',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RetireGrant',
  'kms:RevokeGrant',
]);

/** True when a principal of another account may be allowed the action on a key at all. */
export function worksAcrossAccounts(action: string): boolean {
  return CROSS_ACCOUNT_ACTIONS.has(action);
}

/**
 * IAM's wildcard match, as Action, Resource and the `…Like` condition operators use it: `*` any run of characters, `?`
 * exactly one; everything else literal. `ignoreCase` for action names, which IAM compares case-insensitively
 * (IAM User Guide, "IAM JSON policy elements: Action": "action names are not case sensitive").
 */
export function wildcardMatcher(pattern: string, ignoreCase = false): (value: string) => boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return (value) => value === pattern;
    const lower = pattern.toLowerCase();
    return (value) => value.toLowerCase() === lower;
  }
  if (pattern === '*') return () => true;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return (value) => regex.test(value);
}

/**
 * The actions of `actions` (KMS's by default) a policy's action pattern names (`kms:*`, `kms:Re*`, `*`); other
 * services' actions name none.
 */
export function actionsMatching<A extends string = KmsAction>(pattern: string, actions: readonly A[] = KMS_ACTIONS as unknown as readonly A[]): readonly A[] {
  const matches = wildcardMatcher(pattern, true);
  return actions.filter((action) => matches(action));
}
