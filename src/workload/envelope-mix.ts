/**
 * Envelope operations in a workload mix: `envelopeEncrypt` sends a payload (up to megabytes) to encrypt under a data
 * key of the entry's KMS key, `envelopeDecrypt` a message sealed before the run. The mix says what each message to
 * decrypt holds ({@link EnvelopeFixture}: key, context, plaintext); the engine seals it before the run in the format
 * of the fleet's client (the built-in envelope, or the Encryption SDK's) through a quota-free model, so preparation
 * spends no quota (src/engine/envelope-fixtures.ts). The message format is the client's business: a workload, below
 * the clients, never reads or writes it.
 */
import type { KmsInput } from '../kms/types.js';
import { randomInt, type Random } from '../base/random.js';

/** A message to decrypt during the run; `message` is sealed by the engine before the run starts. */
export interface EnvelopeFixture {
  readonly keyArn: string;
  readonly context: Readonly<Record<string, string>> | undefined;
  readonly plaintext: Uint8Array;
  message: Uint8Array | undefined;
}

/** What an envelope mix entry needs from the mix. */
export interface EnvelopeEntryParts {
  readonly op: 'envelopeEncrypt' | 'envelopeDecrypt';
  readonly keyArn: string;
  readonly bucket: string;
  /** Distinct encryption contexts (0: none). */
  readonly contexts: number;
  /** How many distinct messages to prepare for decryption. */
  readonly variants: number;
  readonly payload: (random: Random) => Uint8Array;
  readonly contextFor: (index: number) => Record<string, string>;
  readonly setupRandom: Random;
  /** Where the entry registers its fixtures, for the engine to seal. */
  readonly fixtures: EnvelopeFixture[];
}

/** The request maker of an envelope mix entry. */
export function envelopeEntry(parts: EnvelopeEntryParts): (random: Random) => { operation: string; input: KmsInput; bucket: string } {
  const { op, keyArn, bucket, contexts } = parts;
  const contextAt = (index: number): Record<string, string> | undefined => (contexts === 0 ? undefined : parts.contextFor(index));
  if (op === 'envelopeEncrypt') {
    return (r) => {
      const context = contexts === 0 ? undefined : parts.contextFor(randomInt(r, 0, contexts - 1));
      const input: KmsInput = { KeyId: keyArn, Plaintext: parts.payload(r), ...(context === undefined ? {} : { EncryptionContext: context }) };
      return { operation: op, input, bucket };
    };
  }
  const mine: EnvelopeFixture[] = [];
  for (let i = 0; i < parts.variants; i++) {
    const context = contextAt(contexts === 0 ? 0 : i % contexts);
    const plaintext = parts.payload(parts.setupRandom);
    const fixture: EnvelopeFixture = { keyArn, context, plaintext, message: undefined };
    mine.push(fixture);
    parts.fixtures.push(fixture);
  }
  return (r) => {
    const fixture = mine[randomInt(r, 0, mine.length - 1)] as EnvelopeFixture;
    const input: KmsInput = {
      KeyId: keyArn,
      Message: fixture.message,
      ...(fixture.context === undefined ? {} : { EncryptionContext: fixture.context }),
    };
    return { operation: op, input, bucket };
  };
}
