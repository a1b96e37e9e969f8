/** A real KMSClient wired to a model, for tests that drive the model through the AWS SDK. */
import { CreateKeyCommand, KMSClient, type CreateKeyCommandInput, type KMSClientConfig } from '@aws-sdk/client-kms';
import { ManualClock } from '../../src/base/time.js';
import { KmsModel } from '../../src/kms/model.js';
import { createKmsRequestHandler } from '../../src/protocol/request-handler.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' } as const;

/** One attempt per call unless `config` says otherwise, so errors surface as they are. */
export function sdkClient(kms: KmsModel, region = 'us-east-1', config: Partial<KMSClientConfig> = {}): KMSClient {
  return new KMSClient({
    region,
    credentials: TEST_CREDENTIALS,
    requestHandler: createKmsRequestHandler(kms),
    maxAttempts: 1,
    ...config,
  });
}

/**
 * An empty model whose clock reads `startEpochMs` until the test advances it, and a client for `region`: creation,
 * rotation and deletion dates move without sleeping, and quota windows stand still.
 */
export function modelOnManualClock(
  seed: number,
  region: string,
  startEpochMs: number,
): { kms: KmsModel; client: KMSClient; clock: ManualClock } {
  const clock = new ManualClock(0, startEpochMs);
  const kms = new KmsModel({ seed, clock });
  return { kms, client: sdkClient(kms, region), clock };
}

/** Creates a key through the SDK and returns its id and ARN. */
export async function newKey(client: KMSClient, input: CreateKeyCommandInput = {}): Promise<{ id: string; arn: string }> {
  const meta = (await client.send(new CreateKeyCommand(input))).KeyMetadata;
  return { id: meta?.KeyId as string, arn: meta?.Arn as string };
}

/** Creates a key through the SDK and returns its id. */
export async function newKeyId(client: KMSClient, input: CreateKeyCommandInput = {}): Promise<string> {
  return (await newKey(client, input)).id;
}

/** `[admitted, throttled]` for each quota bucket that saw a request, by bucket name. */
export function chargedBuckets(kms: KmsModel): Record<string, [admitted: number, throttled: number]> {
  const used = kms.quotaState().filter((slot) => slot.admitted + slot.throttled > 0);
  return Object.fromEntries(used.map((slot) => [slot.bucket, [slot.admitted, slot.throttled]]));
}
