/**
 * What the services layer costs S3 (`npm run bench -- --only s3`): an SSE-KMS PutObject through src/services/ (the
 * request-rate admission, the bucket, the KMS call through the caller's route with attribution, the object stored)
 * against the GenerateDataKey it makes, called on the same model with the same context — target ≥ 0.8. Both sides
 * alternate short slices and each side's median slice is compared, so a loaded machine still gives a usable ratio.
 */
import { KmsModel } from '../src/kms/model.js';
import { standaloneS3 } from '../src/services/s3-standalone.js';
import { serviceCaller } from '../src/services/types.js';
import { pairedMedians } from './support.js';

const REGION = 'us-east-1';
const APP = 'arn:aws:iam::111122223333:role/app';
const TARGET = 0.8;
const OBJECTS = 1024;

export function s3ServiceBench(timeMs = 1000): string {
  const model = new KmsModel({
    seed: 1,
    keys: [{ region: REGION, aliases: ['alias/bench'] }],
    principals: [{ arn: APP, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }] }],
  });
  const keyArn = model.peekKey({ KeyId: 'alias/bench' }, { region: REGION })?.arn as string;
  // The documented rates would refuse most of a tight loop: an unlimited rate keeps the admission's work, not its answer.
  const { s3 } = standaloneS3({ model, buckets: [{ name: 'bench', region: REGION, encryption: { type: 'SSE-KMS', key: keyArn } }], requestQuota: { writePerSec: Infinity } });
  const caller = serviceCaller({ region: REGION, principal: APP }, model.accountId);
  const keys = Array.from({ length: OBJECTS }, (_, i) => `up/${i}`);
  const context = { region: REGION, principal: APP, viaService: `s3.${REGION}.amazonaws.com` };
  let n = 0;
  let m = 0;
  const viaS3 = (): unknown => {
    const outcome = s3.putObject(caller, 'bench', keys[n++ & (OBJECTS - 1)] as string);
    if (!outcome.ok) throw new Error(`s3 bench: PutObject failed with ${outcome.error.code}`);
    return outcome;
  };
  const direct = (): unknown =>
    model.callSync('GenerateDataKey', { KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: { 'aws:s3:arn': `arn:aws:s3:::bench/${keys[m++ & (OBJECTS - 1)] as string}` } }, context);
  const { aNs: viaNs, bNs: floorNs } = pairedMedians(viaS3, direct, timeMs);
  const ratio = floorNs / viaNs;
  return [
    '\nS3 through src/services/ (alternating slices, medians)',
    `  s3:PutObject, SSE-KMS, via the services layer          ${viaNs.toFixed(0).padStart(8)} ns/op`,
    `    floor: the GenerateDataKey it makes, called directly ${floorNs.toFixed(0).padStart(8)} ns/op   ratio ${ratio.toFixed(3)}  ${ratio >= TARGET ? '✓' : '✗'} target ≥ ${TARGET}`,
  ].join('\n');
}
