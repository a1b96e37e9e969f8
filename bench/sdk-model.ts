/**
 * The model must not be what makes the SDK path slow: a real KMSClient sending Encrypt (32 B) through
 * `createKmsRequestHandler(kms)` against the same client with a canned handler that answers precomputed bytes
 * (target ≥ 0.85).
 */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { KmsModel } from '../src/kms/model.js';
import { createKmsRequestHandler } from '../src/protocol/request-handler.js';
import { createCannedKmsHandler } from './protocol-sdk.js';
import { byName, measure, type Comparison } from './support.js';

const REGION = 'us-east-1';
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };

export async function sdkModelBench(timeMs = 1000): Promise<Comparison[]> {
  const kms = new KmsModel({ seed: 1, keys: [{ region: REGION, aliases: ['alias/bench'] }] });
  const plaintext = new Uint8Array(32).fill(0x61);
  const input = { KeyId: 'alias/bench', Plaintext: plaintext };
  const sample = await kms.call('Encrypt', input, { region: REGION });
  const viaModel = new KMSClient({ region: REGION, credentials, requestHandler: createKmsRequestHandler(kms) });
  const canned = new KMSClient({ region: REGION, credentials, requestHandler: createCannedKmsHandler('Encrypt', sample) });
  try {
    const rows = await measure(
      [
        { name: 'KMSClient Encrypt · canned handler', fn: () => canned.send(new EncryptCommand(input)) },
        { name: 'KMSClient Encrypt · createKmsRequestHandler(kms)', fn: () => viaModel.send(new EncryptCommand(input)) },
      ],
      timeMs,
    );
    return [
      {
        figure: byName(rows, 'KMSClient Encrypt · createKmsRequestHandler(kms)'),
        floor: byName(rows, 'KMSClient Encrypt · canned handler'),
        target: 0.85,
      },
    ];
  } finally {
    viaModel.destroy();
    canned.destroy();
  }
}
