/**
 * Key policies users start from, as KMS writes them (Developer Guide, "Default key policy",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html; aws-kms-facts.md §8): the statement
 * that lets the account root — and so IAM policies — control the key, the key administrators' statement and the key
 * users' statement, with the Sids the KMS console writes.
 */

/** Actions of the console's "Allow access for Key Administrators" statement: manage the key, never use it. */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/** Actions of the console's "Allow use of the key" statement for a symmetric encryption key. */
export const KEY_USER_ACTIONS: readonly string[] = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
];

function rootStatement(accountId: string): object {
  return {
    Sid: 'Enable IAM User Permissions',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}

/** KMS's default key policy: the account root may do everything, which delegates access to IAM policies. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [rootStatement(accountId)] });
}

/** Who {@link keyUserAdminPolicy} names. */
export interface KeyUserAdminOptions {
  /** The key's account: its root keeps `kms:*` (IAM delegation), as in every console-made policy. */
  readonly accountId: string;
  /** Principal ARNs that may use the key (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey). */
  readonly users: readonly string[];
  /** Principal ARNs that may manage the key (Create*, Describe*, …, ScheduleKeyDeletion) but not use it. */
  readonly admins: readonly string[];
}

/**
 * The key policy the KMS console writes for a key with key administrators and key users: the root statement, then
 * "Allow access for Key Administrators" and "Allow use of the key" (a statement naming nobody is left out).
 * Note that the root statement still lets any principal of the account whose IAM policies allow an action perform it.
 */
export function keyUserAdminPolicy(options: KeyUserAdminOptions): string {
  const statements: object[] = [rootStatement(options.accountId)];
  if (options.admins.length > 0) {
    statements.push({
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: [...options.admins] },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: '*',
    });
  }
  if (options.users.length > 0) {
    statements.push({
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: [...options.users] },
      Action: [...KEY_USER_ACTIONS],
      Resource: '*',
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: statements });
}
