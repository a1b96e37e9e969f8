/**
 * The endpoint's own paths, beside KMS's `POST /`: `GET /health`, `GET /metrics` (Prometheus text), and the admin
 * paths under `/admin/` — answered to loopback callers only, even when the endpoint listens on another interface,
 * because they change what every caller gets.
 *
 * - `GET /admin/faults`: the fault rules in force, as set.
 * - `PUT /admin/faults`: replace them: a JSON list of rules in the scenario's `faults:` format (or `{"faults": [...]}`);
 *   a bad list (a `keys` entry that is no key of the scenario included, as in a scenario file) is refused with 400
 *   and every problem with its path, and the rules in force stay.
 * - `DELETE /admin/faults`: no faults.
 * - `POST /admin/state`: write `--state` now (409 without `--state`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackAddress } from '../protocol/http-guards.js';
import { parseFaultRules } from '../scenario/faults.js';
import type { FaultInjector } from './fault-injector.js';
import { faultKeyProblems } from './serve-scenario.js';
import type { ServeMetrics } from './serve-metrics.js';

/** The admin paths' prefix. */
export const ADMIN_PREFIX = '/admin/';
const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

/** What the routes read and change. */
export interface ServeRouteTargets {
  readonly metrics: ServeMetrics;
  readonly faults: FaultInjector;
  /** Names of the scenario's keys, which a fault rule's `keys` may use besides ids, ARNs and aliases. */
  readonly keyNames?: readonly string[];
  /** Health details (keys held, state mode, …). */
  readonly health: () => Record<string, unknown>;
  readonly draining: () => boolean;
  /** Writes `--state` now; `false` when there is no state directory. */
  readonly saveState: () => boolean;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.byteLength) });
  res.end(body);
}

function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_ADMIN_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > MAX_ADMIN_BODY_BYTES) return resolve({ ok: false, message: `body exceeds ${MAX_ADMIN_BODY_BYTES} bytes` });
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch (error) {
        resolve({ ok: false, message: `body is not JSON: ${(error as Error).message}` });
      }
    });
  });
}

/** The `routes` hook of the HTTP server. */
export function serveRoutes(targets: ServeRouteTargets): (req: IncomingMessage, res: ServerResponse) => boolean {
  let declared: unknown = targets.faults.rules;
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/health' && req.method === 'GET') {
      const draining = targets.draining();
      sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ok', ...targets.health() });
      return true;
    }
    if (path === '/metrics' && req.method === 'GET') {
      targets.metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': targets.metrics.registry.contentType });
          res.end(text);
        },
        (error: unknown) => sendJson(res, 500, { error: String(error) }),
      );
      return true;
    }
    if (!path.startsWith(ADMIN_PREFIX)) return false;
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      req.resume();
      sendJson(res, 403, { error: 'admin paths answer loopback callers only' });
      return true;
    }
    const route = `${req.method ?? 'GET'} ${path}`;
    switch (route) {
      case 'GET /admin/faults':
        sendJson(res, 200, { faults: declared });
        return true;
      case 'DELETE /admin/faults':
        targets.faults.setRules([]);
        declared = [];
        sendJson(res, 200, { faults: [] });
        return true;
      case 'PUT /admin/faults':
        readJson(req).then(
          (body) => {
            if (!body.ok) return sendJson(res, 400, { problems: [body.message] });
            const value = body.value as { faults?: unknown } | null;
            const list = value !== null && typeof value === 'object' && !Array.isArray(value) && 'faults' in value ? value.faults : body.value;
            const parsed = parseFaultRules(list);
            if (!parsed.ok) return sendJson(res, 400, { problems: parsed.problems });
            const keyProblems = faultKeyProblems(parsed.rules, targets.keyNames ?? []);
            if (keyProblems.length > 0) return sendJson(res, 400, { problems: keyProblems.map((problem) => `${problem.path}: ${problem.message}`) });
            targets.faults.setRules(parsed.rules);
            declared = list;
            sendJson(res, 200, { faults: list });
          },
          () => res.destroy(),
        );
        return true;
      case 'POST /admin/state':
        req.resume();
        try {
          if (targets.saveState()) sendJson(res, 200, { saved: true });
          else sendJson(res, 409, { error: 'the endpoint keeps its state in memory (no --state)' });
        } catch (error) {
          sendJson(res, 500, { error: (error as Error).message });
        }
        return true;
      default:
        req.resume();
        sendJson(res, 404, { error: `no admin route ${route}; see GET/PUT/DELETE /admin/faults, POST /admin/state` });
        return true;
    }
  };
}
