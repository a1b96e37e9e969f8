/** A real KMSClient wired to a model, for tests that drive the model through the AWS SDK. */
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import type { KmsModel } from '../../src/kms/model.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' } as const;

/** One attempt per call unless `config` says otherwise, so errors surface as they are. */
export function sdkClient(kms: KmsModel, region = 'us-east-1', config: Partial<KMSClientConfig> = {}): KMSClient {
  return new KMSClient({
    region,
    credentials: TEST_CREDENTIALS,
    requestHandler: kms.requestHandler(),
    maxAttempts: 1,
    ...config,
  });
}
