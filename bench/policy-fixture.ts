/**
 * The key policy the policy benchmarks evaluate: the console's key user / key administrator policy (root statement,
 * administrators, users) with two conditions on the users' statement, and the principal that calls under it — a role
 * with no IAM policy, which the users' statement names directly, so no request takes the fast path and every one tests
 * the request condition.
 */
import type { PrincipalSeed } from '../src/kms/principals.js';
import { KEY_ADMIN_ACTIONS, KEY_USER_ACTIONS } from '../src/kms/policy-templates.js';

export const BENCH_ACCOUNT = '111122223333';
export const BENCH_APP_ARN = `arn:aws:iam::${BENCH_ACCOUNT}:role/app`;
const OPS_ARN = `arn:aws:iam::${BENCH_ACCOUNT}:role/ops`;

/** Key user / key admin policy; the users' statement also requires the caller's account and a role ARN. */
export const BENCH_KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${BENCH_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: OPS_ARN }, Action: KEY_ADMIN_ACTIONS, Resource: '*' },
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: BENCH_APP_ARN },
      Action: KEY_USER_ACTIONS,
      Resource: '*',
      // One condition on the caller (decided once per key, principal and action) and one on the request (every time).
      Condition: {
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${BENCH_ACCOUNT}:role/*` },
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant', 'purpose'] },
      },
    },
  ],
});

/** The principals of the benchmark's model: the key user (no IAM policy) and the key administrator. */
export const BENCH_PRINCIPALS: readonly PrincipalSeed[] = [{ arn: BENCH_APP_ARN }, { arn: OPS_ARN }];
