/**
 * How much the wire layer costs a real `KMSClient`: `EncryptCommand` (32 B plaintext) through
 * `createKmsRequestHandler(fake)` — full decode, a trivial target, full encode — against the same client with a canned
 * handler that returns precomputed response bytes without looking at the request (the floor: what the SDK alone
 * costs). Target ratio ≥ 0.85.
 *
 * Run standalone: `npx tsx bench/protocol-sdk.ts`.
 */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { Bench } from 'tinybench';
import { fileURLToPath } from 'node:url';
import type { KmsCallable, KmsOutput } from '../src/kms/types.js';
import {
  createKmsRequestHandler,
  encodeOutput,
  KMS_CONTENT_TYPE,
  type KmsRequestHandler,
} from '../src/protocol/index.js';
import type { BenchRow } from './support.js';


export interface ProtocolSdkBenchOptions {
  /** Time budget per task and round in ms (default 1000). */
  readonly timeMs?: number;
  /** Warm-up per task and round in ms (default 500); the SDK path needs a few thousand calls to get hot. */
  readonly warmupMs?: number;
  /** Rounds, alternating task order; each figure is the median round (default 5). Smooths noisy shared machines. */
  readonly rounds?: number;
}

/**
 * A request handler that answers every request with the same precomputed 200 response, encoded once by the real
 * codec from `output` (so the SDK parses exactly the bytes the real handler would send). No decoding, no target: the
 * floor for comparisons of the SDK path.
 */
export function createCannedKmsHandler(operation: string, output: KmsOutput): KmsRequestHandler {
  const body = encodeOutput(operation, output);
  const length = String(body.byteLength);
  const config: Record<string, unknown> = {};
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle() {
      return Promise.resolve({
        response: {
          statusCode: 200,
          // Fresh objects per response: the SDK lower-cases headers in place and re-prototypes the body.
          headers: { 'content-type': KMS_CONTENT_TYPE, 'content-length': length, 'x-amzn-requestid': 'canned' },
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        },
      });
    },
    updateHttpClientConfig(key: string, value: unknown) {
      config[key] = value;
    },
    httpHandlerConfigs() {
      return { ...config };
    },
    destroy() {},
  };
}

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The Encrypt answer both handlers give: a 184-byte blob, the size of a real KMS ciphertext for 32 B. */
export function encryptOutput(): KmsOutput {
  const blob = new Uint8Array(184);
  for (let i = 0; i < blob.length; i++) blob[i] = (i * 31 + 7) & 0xff;
  return { CiphertextBlob: blob, KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
}

function kmsClient(requestHandler: KmsRequestHandler): KMSClient {
  return new KMSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
    requestHandler,
  });
}

export async function runProtocolSdkBench(options: ProtocolSdkBenchOptions = {}): Promise<BenchRow[]> {
  const output = encryptOutput();
  const fake: KmsCallable = { call: () => Promise.resolve(output) };
  const plaintext = new Uint8Array(32).fill(0x61);
  const encrypt = (client: KMSClient) => () =>
    client.send(new EncryptCommand({ KeyId: 'alias/bench', Plaintext: plaintext, EncryptionContext: { purpose: 'bench' } }));

  const canned = kmsClient(createCannedKmsHandler('Encrypt', output));
  const real = kmsClient(createKmsRequestHandler(fake));
  const tasks: readonly [string, () => Promise<unknown>][] = [
    ['sdk Encrypt 32 B · canned handler (floor)', encrypt(canned)],
    ['sdk Encrypt 32 B · createKmsRequestHandler(fake)', encrypt(real)],
  ];

  const rounds = options.rounds ?? 5;
  const periods = new Map<string, number[]>(tasks.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: options.timeMs ?? 1000, warmupTime: options.warmupMs ?? 500, throws: true });
    const ordered = round % 2 === 0 ? tasks : [...tasks].reverse();
    for (const [name, fn] of ordered) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`bench task ${task.name} ended ${result.state}`);
      periods.get(task.name)?.push(result.period);
    }
  }

  const rows: BenchRow[] = [];
  for (const [name, samples] of periods) {
    const sorted = [...samples].sort((a, b) => a - b);
    const periodMs = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    rows.push({ name, opsPerSec: 1000 / periodMs, nsPerOp: periodMs * 1e6 });
  }
  canned.destroy();
  real.destroy();
  return rows;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await runProtocolSdkBench();
  const floor = rows[0]?.opsPerSec ?? Number.NaN;
  console.table(
    rows.map((r) => ({
      task: r.name,
      'ops/s': Math.round(r.opsPerSec),
      'ns/op': Math.round(r.nsPerOp),
      'ratio vs floor': (r.opsPerSec / floor).toFixed(3),
    })),
  );
}
