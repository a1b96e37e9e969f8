/**
 * `kms-bench serve` throughput per core: Encrypt (32 B) over HTTP with keep-alive against the built CLI in a child
 * process, beside the in-process handler's rate (the same codec, dispatch and model without HTTP), as a ratio.
 *
 * The load generator is plain `node:http` with pre-encoded bodies (no SDK, no signing: signatures are not checked),
 * so on a 2-core machine the client's core is not the limit; the server's CPU time is read from /proc, so the figure
 * is requests per second of server CPU — per core — whatever else the machine does.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { KmsModel } from '../src/kms/model.js';
import { createKmsRequestHandler } from '../src/protocol/request-handler.js';
import { byName, measure, repeat, type BenchRow, type Comparison } from './support.js';

const REGION = 'us-east-1';
const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.js');
const BODY = JSON.stringify({ KeyId: 'alias/kms-bench', Plaintext: Buffer.alloc(32, 0x61).toString('base64') });
const AUTH = `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261204/${REGION}/kms/aws4_request, SignedHeaders=host, Signature=00`;
/** Requests kept in flight: enough to keep the server busy between a response and the next request. */
const CONCURRENCY = 16;

/** Server CPU seconds (user + system) of `pid`, from /proc; undefined where /proc is not there. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function startServe(): Promise<{ url: URL; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--quota-profile', 'unlimited', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening url=(\S+)/.exec(out);
      if (match !== null) resolve(new URL(match[1] as string));
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  child.stdout.resume();
  return {
    url,
    pid: child.pid as number,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function post(url: URL, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt', authorization: AUTH, 'content-length': Buffer.byteLength(BODY) },
      },
      (res) => {
        res.resume();
        res.once('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.once('error', reject);
    req.end(BODY);
  });
}

/** Requests per second of server CPU over `timeMs` of keep-alive load. */
async function serveRate(timeMs: number): Promise<BenchRow & { readonly wallPerSec: number }> {
  const serve = await startServe();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const until = (deadline: number) => async (): Promise<number> => {
      let done = 0;
      while (performance.now() < deadline) {
        await post(serve.url, agent);
        done++;
      }
      return done;
    };
    // Warm-up: connections open, JIT warm.
    await Promise.all(Array.from({ length: CONCURRENCY }, until(performance.now() + Math.min(500, timeMs / 2))));
    const cpuBefore = cpuSeconds(serve.pid);
    const started = performance.now();
    const counts = await Promise.all(Array.from({ length: CONCURRENCY }, until(started + timeMs)));
    const wallS = (performance.now() - started) / 1000;
    const cpuAfter = cpuSeconds(serve.pid);
    const requests = counts.reduce((a, b) => a + b, 0);
    const cpuS = cpuBefore === undefined || cpuAfter === undefined ? wallS : cpuAfter - cpuBefore;
    const perCore = requests / cpuS;
    return { name: `serve Encrypt over HTTP keep-alive, per core of server CPU (${Math.round(requests / wallS)}/s wall)`, opsPerSec: perCore, nsPerOp: 1e9 / perCore, wallPerSec: requests / wallS };
  } finally {
    agent.destroy();
    await serve.stop();
  }
}

export async function serveEndpointBench(timeMs = 1000): Promise<Comparison[]> {
  const kms = new KmsModel({ seed: 1, keys: [{ region: REGION, aliases: ['alias/kms-bench'] }] });
  const handler = createKmsRequestHandler(kms);
  const body = new TextEncoder().encode(BODY);
  const inProcess = (): Promise<unknown> =>
    handler.handle({
      method: 'POST',
      protocol: 'https:',
      hostname: `kms.${REGION}.amazonaws.com`,
      path: '/',
      query: {},
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
      body,
    } as never);
  const [floorRow] = await measure([{ name: 'in-process handler Encrypt (same codec and model, no HTTP)', fn: repeat(50, inProcess), batch: 50 }], timeMs);
  const figure = await serveRate(Math.max(timeMs, 2000));
  return [{ figure, floor: byName([floorRow as BenchRow], 'in-process handler Encrypt (same codec and model, no HTTP)') }];
}
