import { describe, expect, test } from 'vitest';
import { KMS_OPERATIONS } from '../src/kms/types.js';
import { KMS_API } from '../src/protocol/kms-api.js';
import type { Shape } from '../src/protocol/shapes.js';
import { deriveKmsApiFromSdk, describeKmsApi } from './fixtures/protocol-derive-shapes.js';

/** Dotted paths of every member of `kind` ('blob' or 'timestamp') below a shape. */
function membersOfKind(shape: Shape, kind: string, prefix = ''): string[] {
  if (typeof shape === 'string') return shape === kind ? [prefix] : [];
  switch (shape.kind) {
    case 'list':
      return membersOfKind(shape.member, kind, `${prefix}[]`);
    case 'map':
      return membersOfKind(shape.value, kind, `${prefix}{}`);
    case 'struct':
      return [...shape.members].flatMap(([name, member]) =>
        membersOfKind(member, kind, prefix === '' ? name : `${prefix}.${name}`),
      );
  }
}

describe('KMS API shape table', () => {
  test('matches the schema of the installed @aws-sdk/client-kms exactly (regenerate on mismatch)', () => {
    expect(describeKmsApi(KMS_API)).toEqual(deriveKmsApiFromSdk());
  });

  test('covers every operation the model answers', () => {
    for (const operation of KMS_OPERATIONS) expect(KMS_API.has(operation), operation).toBe(true);
  });

  test.each([
    ['Encrypt', 'input', ['Plaintext']],
    ['Encrypt', 'output', ['CiphertextBlob']],
    ['Decrypt', 'input', ['CiphertextBlob', 'Recipient.AttestationDocument']],
    ['Decrypt', 'output', ['Plaintext', 'CiphertextForRecipient']],
    ['ReEncrypt', 'input', ['CiphertextBlob']],
    ['Sign', 'output', ['Signature']],
    ['Verify', 'input', ['Message', 'Signature']],
    ['VerifyMac', 'input', ['Message', 'Mac']],
    ['ImportKeyMaterial', 'input', ['ImportToken', 'EncryptedKeyMaterial']],
    ['GenerateDataKeyPair', 'output', ['PrivateKeyCiphertextBlob', 'PrivateKeyPlaintext', 'PublicKey', 'CiphertextForRecipient']],
  ] as const)('%s %s blobs are %j', (operation, side, blobs) => {
    const shapes = KMS_API.get(operation);
    expect(shapes).toBeDefined();
    if (shapes !== undefined) expect(membersOfKind(shapes[side], 'blob')).toEqual(blobs);
  });

  test('DescribeKey output carries its dates as timestamps', () => {
    const shapes = KMS_API.get('DescribeKey');
    expect(shapes && membersOfKind(shapes.output, 'timestamp')).toEqual([
      'KeyMetadata.CreationDate',
      'KeyMetadata.DeletionDate',
      'KeyMetadata.ValidTo',
    ]);
  });

  test('operation names resolve only as own entries', () => {
    expect(KMS_API.get('constructor')).toBeUndefined();
    expect(KMS_API.get('__proto__')).toBeUndefined();
  });
});
