/**
 * The endpoint's terminal output: the banner (where it listens, how to point the AWS CLI and SDKs at it, where its
 * state lives) and, on a TTY, one line per second that had traffic: requests, throttled and denied per quota bucket.
 */
import type { Scenario } from '../scenario/types.js';
import type { BucketSecond } from './serve-metrics.js';
import type { ServeEndpoint } from './serve-endpoint.js';

/** The machine-readable first line's prefix: `kms-bench serve: listening url=http://127.0.0.1:4599 port=4599`. */
export const LISTENING_PREFIX = 'kms-bench serve: listening';

/** The banner printed once the endpoint listens. */
export function bannerLines(endpoint: ServeEndpoint, scenario: Scenario, options: { readonly remote: boolean }): string[] {
  const url = endpoint.server.url;
  const key = scenario.keys[0];
  const region = key?.region ?? 'us-east-1';
  const keyRef = key === undefined ? '<key-id>' : (key.aliases[0] ?? key.keyId ?? key.name);
  const held = endpoint.model.usage().keys;
  const quotas = `${scenario.quotas.profile} quotas, ${scenario.quotas.enforcement}`;
  const state =
    endpoint.stateDir === undefined
      ? 'in memory: keys and ciphertexts made here are lost on exit (--state DIR keeps them)'
      : `${endpoint.stateDir} (${endpoint.keysFrom === 'loaded' ? 'loaded' : 'new, seeded from the scenario'}; written after each change and on exit)`;
  const faults = endpoint.faults.rules.length;
  const lines = [
    `${LISTENING_PREFIX} url=${url} port=${endpoint.server.port}`,
    `KMS endpoint ${url} — ${held} key(s), ${quotas}`,
    `  state:    ${state}`,
    `  faults:   ${faults === 0 ? 'none' : `${faults} rule(s)`} (GET/PUT/DELETE ${url}/admin/faults, loopback only)`,
    `  metrics:  ${url}/metrics   health: ${url}/health`,
    `  AWS CLI:  aws kms encrypt --endpoint-url ${url} --region ${region} --key-id ${keyRef} --plaintext "$(printf hi | base64)"`,
    `  JS SDK:   new KMSClient({ endpoint: '${url}', region: '${region}' })`,
    `  boto3:    boto3.client('kms', endpoint_url='${url}', region_name='${region}')`,
    `  Any credentials work: signatures are not checked. The region comes from the SigV4 scope.`,
    ...principalLines(scenario),
  ];
  if (options.remote) {
    lines.push('  WARNING: listening beyond loopback. Signatures are not checked: anyone who can reach this port can use every key.');
  }
  return lines;
}

/** How to call as each of the scenario's principals: its name is the access key id. */
function principalLines(scenario: Scenario): string[] {
  const principals = Object.entries(scenario.principals ?? {});
  if (principals.length === 0) return [];
  return [
    '  Principals (access key id → principal; any other access key id calls as the account root):',
    ...principals.map(([name, principal]) => `    AWS_ACCESS_KEY_ID=${name}  →  ${principal.arn}`),
  ];
}

/** `12:00:01  480 req  symmetric 450 (throttled 50, denied 0)  DescribeKey 30`, or `undefined` for an idle second. */
export function secondLine(now: Date, second: ReadonlyMap<string, BucketSecond>): string | undefined {
  if (second.size === 0) return undefined;
  let total = 0;
  const parts: string[] = [];
  for (const [bucket, counts] of [...second].sort((a, b) => b[1].requests - a[1].requests)) {
    total += counts.requests;
    const extras = [
      counts.throttled > 0 ? `throttled ${counts.throttled}` : '',
      counts.denied > 0 ? `denied ${counts.denied}` : '',
      counts.errors > 0 ? `errors ${counts.errors}` : '',
    ].filter((part) => part !== '');
    parts.push(`${bucket} ${counts.requests}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`);
  }
  return `${now.toISOString().slice(11, 19)}  ${total} req  ${parts.join('  ')}`;
}
