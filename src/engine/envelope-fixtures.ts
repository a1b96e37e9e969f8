/**
 * The messages an `envelopeDecrypt` mix entry decrypts, sealed before the run in the format of the fleet's client:
 * the built-in envelope (src/client/envelope.ts) for direct and sdk fleets, the Encryption SDK's message format for
 * esdk fleets. The workload only says what each message holds (src/workload/envelope-mix.ts); sealing is here, above
 * both the workload and the clients, so the workload never depends on a client's format.
 *
 * Sealing goes through `prepareModel`, a model without quotas holding the same keys, so it spends no measured quota
 * and takes no (virtual) time.
 */
import { sealWithDataKey } from '../client/envelope.js';
import { EsdkSession } from '../client/esdk-client.js';
import type { KmsModel } from '../kms/model.js';
import type { EnvelopeFixture } from '../workload/envelope-mix.js';
import type { RequestMix } from '../workload/request-mix.js';
import { prepareContext } from './fleet-clients.js';
import type { FleetPlan } from './wire.js';

/** Seals every fixture of `mix` for `fleet`'s client; a mix without `envelopeDecrypt` entries has none. */
export async function sealEnvelopeFixtures(fleet: FleetPlan, mix: RequestMix, prepareModel: KmsModel): Promise<void> {
  if (mix.envelopeFixtures.length === 0) return;
  if (fleet.client === 'esdk') await sealForEsdk(fleet, mix.envelopeFixtures, prepareModel);
  else sealBuiltIn(fleet, mix.envelopeFixtures, prepareModel);
}

/** The built-in format: one data key per message from GenerateDataKey, bound to the message's context. */
function sealBuiltIn(fleet: FleetPlan, fixtures: readonly EnvelopeFixture[], prepareModel: KmsModel): void {
  const context = prepareContext(fleet);
  for (const fixture of fixtures) {
    const encryptionContext = fixture.context === undefined ? {} : { EncryptionContext: fixture.context };
    const dataKey = prepareModel.callSync('GenerateDataKey', { KeyId: fixture.keyArn, KeySpec: 'AES_256', ...encryptionContext }, context);
    const key = dataKey['Plaintext'] as Uint8Array;
    fixture.message = sealWithDataKey(key, dataKey['CiphertextBlob'] as Uint8Array, fixture.plaintext, fixture.context);
    // The plaintext data key is key material: zeroed as soon as the message is sealed.
    key.fill(0);
  }
}

/** The Encryption SDK's format, through a session over the model (asynchronous, as the SDK is). */
async function sealForEsdk(fleet: FleetPlan, fixtures: readonly EnvelopeFixture[], prepareModel: KmsModel): Promise<void> {
  const session = new EsdkSession({
    model: prepareModel,
    ...(fleet.accountId === undefined ? {} : { accountId: fleet.accountId }),
    suite: fleet.algorithmSuite ?? 'committing-signed',
  });
  try {
    for (const fixture of fixtures) fixture.message = await session.encrypt(fixture.keyArn, fixture.plaintext, fixture.context);
  } finally {
    session.destroy();
  }
}
