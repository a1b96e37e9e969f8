/**
 * `/metrics` stays bounded whatever callers send: regions KMS does not have (refused with InvalidSignatureException)
 * share the `invalid` label, and access key ids the scenario does not name are labelled as the account root.
 */
import { describe, expect, test } from 'vitest';
import { serveProcesses } from './support/serve-process.js';

const start = serveProcesses();

/** A ListKeys request signed (as far as the endpoint reads it) with this scope region and access key id. */
function listKeys(url: string, region: string, accessKeyId: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.ListKeys',
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/kms/aws4_request, SignedHeaders=host, Signature=00`,
    },
    body: '{}',
  });
}

function requestSeries(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('kmsbench_requests_total{'));
}

describe('serve /metrics label bounds', () => {
  test('50 requests with bogus scope regions and access keys leave a bounded number of series', async () => {
    const served = await start(['--region', 'eu-west-1']);
    for (let i = 0; i < 50; i++) {
      const answer = await listKeys(served.url, `bogus-region-${i}`, `AKID${i}`);
      expect(answer.status).toBe(400);
      await answer.arrayBuffer();
    }
    const ok = await listKeys(served.url, 'eu-west-1', 'AKIDOTHER');
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const text = await (await fetch(`${served.url}/metrics`)).text();
    const series = requestSeries(text);
    expect(series.filter((line) => line.includes('region="invalid"'))).toHaveLength(1);
    expect(series.filter((line) => line.includes('region="eu-west-1"'))).toHaveLength(1);
    expect(text).not.toContain('bogus-region');
    expect(text).not.toContain('AKID');
    expect((await served.stop()).code).toBe(0);
  });
});
