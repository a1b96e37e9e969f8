/**
 * `npm run bench`: every figure beside its floor measured in the same run (raw node:crypto, a bare KMSClient with a
 * canned handler), as a ratio against the target the issues name. Not a test: nothing here fails a build.
 *
 * Options: `--time MS` per task (default 1000), `--only NAME[,NAME]` (model, sdk, quota, engine, virtual, policy,
 * envelope, cache, serve, s3, services, redis — the last only when a redis-server is on PATH).
 */
import { parseArgs } from 'node:util';
import { engineBench } from './engine-throughput.js';
import { modelCryptoBench } from './model-crypto.js';
import { policyBench } from './policy-eval.js';
import { quotaBench } from './quota-limiter.js';
import { sdkModelBench } from './sdk-model.js';
import { virtualSimBench } from './virtual-sim.js';
import { formatComparisons } from './support.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const { values } = parseArgs({ options: { time: { type: 'string', default: '1000' }, only: { type: 'string' } } });
const timeMs = Number(values.time);
if (!Number.isFinite(timeMs) || timeMs <= 0) {
  process.stderr.write(`bench: --time must be a positive number of milliseconds, got ${values.time}\n`);
  process.exit(2);
}
const only = values.only === undefined ? undefined : new Set(values.only.split(','));
const wanted = (name: string): boolean => only === undefined || only.has(name);

console.log(`kms-bench benchmarks · node ${process.version} · ${new Date().toISOString()}`);
if (wanted('model')) console.log(formatComparisons('KMS model vs raw node:crypto', await modelCryptoBench(timeMs)));
if (wanted('sdk')) console.log(formatComparisons('Real KMSClient: model handler vs canned handler', await sdkModelBench(timeMs)));
if (wanted('quota')) {
  console.log('\nQuota limiter decisions');
  for (const row of await quotaBench({ timeMs: timeMs / 2, contendedMs: timeMs })) {
    console.log(`  ${row.name.padEnd(78)} ${row.nsPerOp.toFixed(1).padStart(8)} ns/op`);
  }
}
if (wanted('engine')) console.log(await engineBench(timeMs));
if (wanted('virtual')) console.log(await virtualSimBench(timeMs));
if (wanted('policy')) console.log(await policyBench(timeMs));
if (wanted('envelope')) console.log(await (await import('./envelope-sim.js')).envelopeSimBench(timeMs));
if (wanted('cache')) console.log(formatComparisons('Envelope encryption (warm data-key cache) and the Encryption SDK vs raw AES-256-GCM', await (await import('./cache-envelope.js')).cacheEnvelopeBench(timeMs)));
if (wanted('redis')) {
  const redis = await import('./quota-redis.js');
  if (redis.redisServerPresent()) console.log(await redis.redisQuotaBench(Math.max(2_000, timeMs * 2)));
  else console.log('\nQuota store (Redis): skipped, no redis-server on PATH (apt-get install redis-server)');
}
if (wanted('s3')) console.log((await import('./s3-service.js')).s3ServiceBench(timeMs));
if (wanted('serve')) console.log(formatComparisons('kms-bench serve over HTTP (keep-alive) vs the in-process handler', await (await import('./serve-endpoint.js')).serveEndpointBench(timeMs)));
if (wanted('services')) console.log(formatComparisons('AWS service requests through src/services vs the KMS call each makes', await (await import('./services.js')).servicesBench(timeMs)));
