import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KmsError } from '../src/kms/errors.js';
import { CallContextResolver } from '../src/protocol/call-context.js';
import {
  decodeRequest,
  encodeError,
  encodeOutput,
  INTERNAL_ERROR_MESSAGE,
  OutputShapeError,
  parseSigV4Credential,
  regionFromHostname,
} from '../src/protocol/index.js';

const ENCRYPT = 'TrentService.Encrypt';
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const json = (body: Uint8Array): unknown => JSON.parse(Buffer.from(body).toString('utf8'));

function kmsErrorOf(fn: () => unknown): KmsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw new Error(`expected a KmsError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a KmsError, nothing was thrown');
}

describe('decodeRequest', () => {
  test('decodes base64 blobs to Uint8Array and keeps strings and maps as parsed', () => {
    const body = JSON.stringify({ KeyId: 'alias/a', Plaintext: b64(new Uint8Array([0, 1, 255])), EncryptionContext: { a: 'b' } });
    const { operation, input } = decodeRequest(ENCRYPT, body);
    expect(operation).toBe('Encrypt');
    expect(input.KeyId).toBe('alias/a');
    expect(input.Plaintext).toBeInstanceOf(Uint8Array);
    expect([...(input.Plaintext as Uint8Array)]).toEqual([0, 1, 255]);
    expect(input.EncryptionContext).toEqual({ a: 'b' });
  });

  test('accepts the body as bytes (what the SDK sends) as well as a string', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ KeyId: 'k' }));
    expect(decodeRequest('TrentService.DescribeKey', bytes).input).toEqual({ KeyId: 'k' });
    expect(decodeRequest('TrentService.DescribeKey', Buffer.from(bytes)).input).toEqual({ KeyId: 'k' });
  });

  test('an empty body is an empty input', () => {
    expect(decodeRequest('TrentService.ListKeys', '').input).toEqual({});
    expect(decodeRequest('TrentService.ListKeys', undefined).input).toEqual({});
  });

  test('drops unmodeled members and explicit nulls', () => {
    const body = '{"KeyId":"k","Bogus":1,"GrantTokens":null,"__proto__":{"polluted":true}}';
    const { input } = decodeRequest('TrentService.DescribeKey', body);
    expect(input).toEqual({ KeyId: 'k' });
    expect(Object.keys(input)).toEqual(['KeyId']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('decodes nested blobs and the timestamp member', () => {
    const decrypt = decodeRequest(
      'TrentService.Decrypt',
      JSON.stringify({ CiphertextBlob: 'AAE=', Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: 'Ag==' } }),
    ).input;
    expect([...(decrypt.CiphertextBlob as Uint8Array)]).toEqual([0, 1]);
    expect([...((decrypt.Recipient as { AttestationDocument: Uint8Array }).AttestationDocument)]).toEqual([2]);

    const imported = decodeRequest(
      'TrentService.ImportKeyMaterial',
      JSON.stringify({ KeyId: 'k', ImportToken: 'AQ==', EncryptedKeyMaterial: 'Ag==', ValidTo: 1700000000.5 }),
    ).input;
    expect(imported.ValidTo).toEqual(new Date(1700000000500));
  });

  test('an encryption context key named __proto__ stays an ordinary own key', () => {
    const { input } = decodeRequest(ENCRYPT, '{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"__proto__":"x"}}');
    const context = input.EncryptionContext as Record<string, string>;
    expect(Object.keys(context)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(context)).toBe(Object.prototype);
  });

  test.each([
    ['missing target', undefined],
    ['empty target', ''],
    ['another service', 'DynamoDB_20120810.GetItem'],
    ['no prefix', 'Encrypt'],
    ['unknown operation', 'TrentService.Frobnicate'],
    ['prototype key', 'TrentService.constructor'],
    ['lower case', 'trentservice.encrypt'],
  ])('%s → UnknownOperationException', (_label, target) => {
    const error = kmsErrorOf(() => decodeRequest(target, '{}'));
    expect(error.name).toBe('UnknownOperationException');
    expect(error.status).toBe(400);
  });

  test.each([
    ['truncated JSON', '{"KeyId":'],
    ['not JSON', 'KeyId=k'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"x"'],
    ['a JSON number', '1'],
  ])('%s body → SerializationException', (_label, body) => {
    const error = kmsErrorOf(() => decodeRequest(ENCRYPT, body));
    expect(error.name).toBe('SerializationException');
    expect(error.status).toBe(400);
  });

  test.each([
    ['Encrypt', { KeyId: 1, Plaintext: 'AA==' }, 'KeyId'],
    ['Encrypt', { KeyId: 'k', Plaintext: 42 }, 'Plaintext'],
    ['Encrypt', { KeyId: 'k', Plaintext: { a: 1 } }, 'Plaintext'],
    ['Encrypt', { KeyId: 'k', Plaintext: [1, 2] }, 'Plaintext'],
    ['Encrypt', { KeyId: 'k', Plaintext: '!!!!' }, 'Plaintext'],
    ['Encrypt', { KeyId: 'k', Plaintext: 'AAE' }, 'Plaintext'],
    ['Encrypt', { KeyId: 'k', Plaintext: 'AA-_' }, 'Plaintext'],
    ['Encrypt', { KeyId: 'k', Plaintext: 'AA==', EncryptionContext: ['a'] }, 'EncryptionContext'],
    ['Encrypt', { KeyId: 'k', Plaintext: 'AA==', EncryptionContext: { a: 1 } }, 'EncryptionContext.a'],
    ['Encrypt', { KeyId: 'k', Plaintext: 'AA==', GrantTokens: 'tok' }, 'GrantTokens'],
    ['Encrypt', { KeyId: 'k', Plaintext: 'AA==', GrantTokens: [1] }, 'GrantTokens[0]'],
    ['Encrypt', { KeyId: 'k', Plaintext: 'AA==', DryRun: 'true' }, 'DryRun'],
    ['GenerateDataKey', { KeyId: 'k', NumberOfBytes: '32' }, 'NumberOfBytes'],
    ['GenerateDataKey', { KeyId: 'k', NumberOfBytes: 1.5 }, 'NumberOfBytes'],
    ['GenerateDataKey', { KeyId: 'k', NumberOfBytes: 2 ** 40 }, 'NumberOfBytes'],
    ['Decrypt', { CiphertextBlob: 'AA==', Recipient: 'x' }, 'Recipient'],
    ['Decrypt', { CiphertextBlob: 'AA==', Recipient: { AttestationDocument: 7 } }, 'Recipient.AttestationDocument'],
    ['CreateKey', { Tags: [{ TagKey: 'a', TagValue: false }] }, 'Tags[0].TagValue'],
    ['ImportKeyMaterial', { KeyId: 'k', ValidTo: '2030-01-01' }, 'ValidTo'],
  ])('%s with %j → SerializationException naming %s', (operation, body, path) => {
    const error = kmsErrorOf(() => decodeRequest(`TrentService.${operation}`, JSON.stringify(body)));
    expect(error.name).toBe('SerializationException');
    expect(error.message).toContain(`'${path}'`);
  });

  test('property: any bytes survive base64 decoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6144 }), (bytes) => {
        const { input } = decodeRequest('TrentService.Decrypt', JSON.stringify({ CiphertextBlob: b64(bytes) }));
        expect(Buffer.from(input.CiphertextBlob as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  test('property: any body either decodes or is refused with a KMS error, never a crash', () => {
    const targets = fc.constantFrom(ENCRYPT, 'TrentService.Decrypt', 'TrentService.CreateKey', 'TrentService.Nope', undefined);
    const member = fc.oneof(fc.jsonValue(), fc.base64String());
    const bodies = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({ KeyId: member, Plaintext: member, EncryptionContext: member, Tags: member, Recipient: member })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(targets, bodies, (target, body) => {
        try {
          decodeRequest(target, body);
        } catch (error) {
          expect(error).toBeInstanceOf(KmsError);
          expect(['SerializationException', 'UnknownOperationException']).toContain((error as KmsError).name);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeOutput', () => {
  test('blobs become base64 and dates epoch seconds (fractional), nested too', () => {
    const body = json(
      encodeOutput('DescribeKey', {
        KeyMetadata: { KeyId: 'k', CreationDate: new Date(1700000000123), Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
      }),
    );
    expect(body).toEqual({
      KeyMetadata: { KeyId: 'k', CreationDate: 1700000000.123, Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
    });
    expect(json(encodeOutput('Encrypt', { CiphertextBlob: new Uint8Array([0, 1, 2]), KeyId: 'arn' }))).toEqual({
      CiphertextBlob: 'AAEC',
      KeyId: 'arn',
    });
  });

  test('lists of structures with dates', () => {
    const body = json(
      encodeOutput('ListAliases', {
        Aliases: [{ AliasName: 'alias/a', CreationDate: new Date(0) }],
        Truncated: false,
      }),
    );
    expect(body).toEqual({ Aliases: [{ AliasName: 'alias/a', CreationDate: 0 }], Truncated: false });
  });

  test('writes only modeled members and skips undefined ones', () => {
    const body = json(encodeOutput('Encrypt', { CiphertextBlob: new Uint8Array([1]), KeyId: undefined, Secret: 'x' }));
    expect(body).toEqual({ CiphertextBlob: 'AQ==' });
  });

  test('a subarray is encoded by its own bytes, not its backing buffer', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 9]);
    expect(json(encodeOutput('Encrypt', { CiphertextBlob: backing.subarray(2, 4) }))).toEqual({ CiphertextBlob: 'AQI=' });
  });

  test('operations without output answer {}', () => {
    expect(json(encodeOutput('EnableKey', undefined))).toEqual({});
    expect(json(encodeOutput('EnableKey', { Whatever: 1 }))).toEqual({});
  });

  test('an output that does not fit its shape is an OutputShapeError (a model defect)', () => {
    expect(() => encodeOutput('Encrypt', { CiphertextBlob: 'AAEC' })).toThrow(OutputShapeError);
    expect(() => encodeOutput('DescribeKey', { KeyMetadata: { CreationDate: 1700000000 } })).toThrow(OutputShapeError);
  });

  test('property: any blob round-trips through the response body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6144 }), (bytes) => {
        const body = json(encodeOutput('Encrypt', { CiphertextBlob: bytes })) as { CiphertextBlob: string };
        expect(Buffer.from(body.CiphertextBlob, 'base64').equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});

describe('encodeError', () => {
  test('a KmsError keeps its name, status and message', () => {
    const encoded = encodeError(new KmsError('DependencyTimeoutException', 'try later'));
    expect(encoded.status).toBe(503);
    expect(encoded.errorName).toBe('DependencyTimeoutException');
    expect(json(encoded.body)).toEqual({ __type: 'DependencyTimeoutException', message: 'try later' });
  });

  test('an error shaped like a KmsError (e.g. rebuilt after a worker thread) counts as one', () => {
    const encoded = encodeError({ name: 'NotFoundException', status: 400, message: 'no such key' });
    expect(encoded.status).toBe(400);
    expect(json(encoded.body)).toEqual({ __type: 'NotFoundException', message: 'no such key' });
  });

  test.each([
    ['an Error', new Error('at secret/path.ts:12')],
    ['a TypeError', new TypeError('x is undefined')],
    ['a string', 'oops'],
    ['undefined', undefined],
    ['an unknown error name', { name: 'BananaException', status: 400, message: 'x' }],
  ])('%s → 500 KMSInternalException with a generic message', (_label, error) => {
    const encoded = encodeError(error);
    expect(encoded.status).toBe(500);
    expect(json(encoded.body)).toEqual({ __type: 'KMSInternalException', message: INTERNAL_ERROR_MESSAGE });
  });
});

describe('call context', () => {
  test.each([
    ['kms.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['kms-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['kms.us-east-2.api.aws', 'us-east-2'],
    ['kms-fips.us-east-1.api.aws', 'us-east-1'],
    ['kms.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['kms.us-iso-east-1.c2s.ic.gov', 'us-iso-east-1'],
    ['vpce-0abc-def.kms.ap-southeast-2.vpce.amazonaws.com', 'ap-southeast-2'],
    ['KMS.EU-CENTRAL-1.AMAZONAWS.COM', 'eu-central-1'],
    ['127.0.0.1', undefined],
    ['localhost', undefined],
    ['kms.internal.example.com', undefined],
    ['s3.eu-west-1.amazonaws.com', undefined],
    ['', undefined],
  ])('region of host %s is %s', (hostname, region) => {
    expect(regionFromHostname(hostname)).toBe(region);
  });

  test('SigV4 credential scope', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/kms/aws4_request, SignedHeaders=host, Signature=abc';
    expect(parseSigV4Credential(header)).toEqual({ accessKeyId: 'AKIDEXAMPLE', region: 'eu-west-1' });
    expect(parseSigV4Credential(undefined)).toBeUndefined();
    expect(parseSigV4Credential('Bearer x')).toBeUndefined();
    expect(parseSigV4Credential('AWS4-HMAC-SHA256 Credential=AKID/20261128, Signature=x')).toBeUndefined();
    // An empty scope region is passed on as written: the model refuses it as KMS does, instead of a default applying.
    expect(parseSigV4Credential('AWS4-HMAC-SHA256 Credential=AKID/20261128//kms/aws4_request, Signature=x')).toEqual({
      accessKeyId: 'AKID',
      region: '',
    });
  });

  test('host name first, then the SigV4 scope, then the default region; account from the access key', () => {
    const auth = 'AWS4-HMAC-SHA256 Credential=AKIDOTHER/20261128/ap-south-1/kms/aws4_request, Signature=x';
    const plain = new CallContextResolver();
    expect(plain.resolve('kms.eu-west-1.amazonaws.com', auth)).toEqual({ region: 'eu-west-1', accountId: undefined });
    expect(plain.resolve('127.0.0.1', auth)).toEqual({ region: 'ap-south-1', accountId: undefined });
    expect(plain.resolve('127.0.0.1', undefined)).toEqual({ region: 'us-east-1', accountId: undefined });
    expect(new CallContextResolver({ defaultRegion: 'eu-north-1' }).resolve(undefined, undefined).region).toBe('eu-north-1');

    const accounts = new CallContextResolver({ accountForAccessKey: (id) => (id === 'AKIDOTHER' ? '444455556666' : undefined) });
    expect(accounts.resolve('kms.eu-west-1.amazonaws.com', auth)).toEqual({ region: 'eu-west-1', accountId: '444455556666' });
    expect(accounts.resolve('kms.eu-west-1.amazonaws.com', undefined).accountId).toBeUndefined();
  });

  test('a credential scope that is read and malformed → IncompleteSignatureException in AWS wording', () => {
    const resolver = new CallContextResolver();
    const bad = 'AWS4-HMAC-SHA256 Credential=AKID/20261128/../../kms/aws4_request, Signature=x';
    expect(() => resolver.resolve('127.0.0.1', bad)).toThrow(
      expect.objectContaining({
        name: 'IncompleteSignatureException',
        status: 400,
        message:
          "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20261128/../../kms/aws4_request'",
      }),
    );
    // The region comes from a KMS host name and no account mapping reads the access key: the scope is not read.
    expect(resolver.resolve('kms.eu-west-1.amazonaws.com', bad)).toEqual({ region: 'eu-west-1', accountId: undefined });
    // No Credential= at all (another auth scheme, or none): the default region, as before.
    expect(resolver.resolve('127.0.0.1', 'Bearer x')).toEqual({ region: 'us-east-1', accountId: undefined });
  });

  test('options are validated up front', () => {
    expect(() => new CallContextResolver({ defaultRegion: 'mars' })).toThrow(/defaultRegion/);
    expect(() => new CallContextResolver({ accountForAccessKey: 'x' as never })).toThrow(/accountForAccessKey/);
  });
});
