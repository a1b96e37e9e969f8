/**
 * The denied headline names IAM actions a planner can grant: ReEncrypt is `kms:ReEncryptFrom`/`kms:ReEncryptTo` (API
 * reference, ReEncrypt, "Required permissions"), never a `kms:ReEncrypt` no policy can name.
 */
import { describe, expect, test } from 'vitest';
import { deniedActionName } from '../src/report/headline-denied.js';

describe('deniedActionName', () => {
  test.each([
    ['Encrypt', 'kms:Encrypt'],
    ['GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyPairWithoutPlaintext'],
    ['ReEncrypt', 'kms:ReEncryptFrom/kms:ReEncryptTo'],
  ])('%s → %s', (operation, action) => {
    expect(deniedActionName(operation)).toBe(action);
  });
});
