/** Key policies tests share. */

/** A key policy letting the roots of `accounts` (and so, through IAM, their principals) do everything with the key. */
export function accountsKeyPolicy(...accounts: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) }, Action: 'kms:*', Resource: '*' }],
  });
}
