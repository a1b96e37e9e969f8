/**
 * `PUT /admin/faults` checks fault rules' `keys` as a scenario file's are checked: an entry that is no key of the
 * scenario, key id, ARN or alias is refused with 400 naming it, and the rules in force stay.
 */
import { describe, expect, test } from 'vitest';
import { serveProcesses } from './support/serve-process.js';

const start = serveProcesses();

function putFaults(url: string, rules: unknown): Promise<Response> {
  return fetch(`${url}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rules) });
}

describe('PUT /admin/faults key names', () => {
  test('an unknown key name is refused with 400 and the rules in force stay', async () => {
    const serve = await start([]);
    expect((await putFaults(serve.url, [{ keys: ['alias/kms-bench'], error: 'KMSInternalException' }])).status).toBe(200);
    const bad = await putFaults(serve.url, [{ keys: ['no-such-key'], error: 'KMSInternalException' }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toEqual([expect.stringMatching(/^faults\[0\]\.keys\[0\]: "no-such-key" is not a key/)]);
    expect(await (await fetch(`${serve.url}/admin/faults`)).json()).toEqual({ faults: [{ keys: ['alias/kms-bench'], error: 'KMSInternalException' }] });
    expect((await serve.stop()).code).toBe(0);
  });
});
