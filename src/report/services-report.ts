/**
 * The AWS services in the report (attribution.ts has the figures): the answer first — which source made what share of
 * an account's KMS calls, and who was throttled by which quota — then the tables summary.md and report.html show:
 * KMS calls by source (share, cost), by principal and resource, the services' requests, and their own quotas.
 */
import type { KmsCallSource } from '../services/index.js';
import type { ServicesResult, SourceShare } from './attribution.js';
import { int } from './cells.js';
import { listText, percentText } from './headline-figures.js';
import type { VariantResult } from './result-types.js';
import { formatUsd } from './text.js';

/** A source as a sentence names it. */
export const SOURCE_NAMES: Readonly<Record<KmsCallSource, string>> = {
  direct: "the fleets' own calls",
  s3: 'S3',
  secretsmanager: 'Secrets Manager',
  ssm: 'Parameter Store',
};

/** The services' sentences of a variant: the largest service share per account and region, then who was throttled. */
export function servicesHeadline(variant: VariantResult): string[] {
  const services = variant.services;
  if (services === undefined) return [];
  const sentences: string[] = [];
  const places = [...new Set(services.sources.map((s) => `${s.region}\0${s.accountId}`))];
  const accounts = new Set(services.sources.map((s) => s.accountId));
  for (const place of places) {
    const here = services.sources.filter((s) => `${s.region}\0${s.accountId}` === place && s.admitted > 0).sort((a, b) => b.admitted - a.admitted);
    const top = here.find((s) => s.source !== 'direct');
    if (top === undefined) continue;
    const total = here.reduce((sum, s) => sum + s.admitted, 0);
    const whose = accounts.size > 1 ? `account ${top.accountId}'s` : "the account's";
    const rest = here.filter((s) => s !== top).map((s) => `${SOURCE_NAMES[s.source]} ${percentText(s.share)}`);
    sentences.push(
      `${SOURCE_NAMES[top.source]} made ${percentText(top.share)} of ${whose} KMS calls in ${top.region} (${int(top.admitted)} of ${int(total)} admitted)` +
        (rest.length === 0 ? '.' : `; ${listText(rest)}.`),
    );
  }
  const throttled = throttleParts(services);
  if (throttled.length > 0) sentences.push(`Throttled service requests: ${listText(throttled)}.`);
  return sentences;
}

/** `Secrets Manager 1,465 by KMS`, `Parameter Store 1,019 by its own quota` — per service, over the variant. */
function throttleParts(services: ServicesResult): string[] {
  const parts: string[] = [];
  for (const source of ['s3', 'secretsmanager', 'ssm'] as const) {
    const rows = services.requests.filter((r) => r.service === source);
    const byKms = rows.reduce((sum, r) => sum + r.throttledByKms, 0);
    const byOwn = rows.reduce((sum, r) => sum + r.throttledByService, 0);
    const said = [byKms > 0 ? `${int(byKms)} by KMS` : '', byOwn > 0 ? `${int(byOwn)} by its own quota` : ''].filter((t) => t !== '');
    if (said.length > 0) parts.push(`${SOURCE_NAMES[source]} ${said.join(' and ')}`);
  }
  return parts;
}

/** One table: a title, a header, rows, and which columns are text (left-aligned). */
export interface ServiceTable {
  readonly title: string;
  readonly note?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly textColumns: number;
}

const place = (s: Pick<SourceShare, 'region' | 'accountId'>): string => `${s.region} · ${s.accountId}`;

/** The tables of one variant's services (prefixed with the variant's name when the run has several). */
export function servicesTables(variant: VariantResult, several: boolean): ServiceTable[] {
  const services = variant.services;
  if (services === undefined) return [];
  const prefix = several ? `${variant.name}: ` : '';
  const tables: ServiceTable[] = [
    {
      title: `${prefix}KMS calls by source`,
      note:
        "Share of each account's admitted KMS calls in a region; cost at the run's rate for a 730-hour month, KMS requests " +
        "at the symmetric price before the free tier, and the service's own API and storage charges (prices.ts).",
      header: ['region · account', 'source', 'admitted', 'share', 'throttled', 'KMS $/month', 'service $/month'],
      rows: services.sources.map((s) => [
        place(s),
        s.source,
        int(s.admitted),
        percentText(s.share),
        int(s.throttled),
        formatUsd(s.kmsUsdPerMonth),
        s.source === 'direct' ? '–' : formatUsd(s.serviceUsdPerMonth),
      ]),
      textColumns: 2,
    },
    {
      title: `${prefix}KMS calls by principal and resource`,
      note: "A service's calls carry the caller's principal (kms:ViaService names the service); the fleets' own calls name the fleet.",
      header: ['region', 'source', 'principal', 'resource', 'bucket', 'admitted', 'throttled', 'denied', 'failed'],
      rows: services.kmsCalls.map((r) => [r.region, r.source, r.principal, r.resource, r.bucket, int(r.admitted), int(r.throttled), int(r.denied), int(r.failed)]),
      textColumns: 5,
    },
  ];
  if (services.requests.length > 0) {
    tables.push({
      title: `${prefix}Service requests`,
      note: 'Every request that reached a service (retries included), by how it ended; cache hits are reads a client-side cache answered.',
      header: ['region', 'operation', 'resource', 'principal', 'requests', 'succeeded', 'throttled by KMS', 'throttled by service quota', 'denied', 'failed', 'cache hits'],
      rows: services.requests.map((r) => [
        r.region,
        r.operation,
        r.resource,
        r.principal,
        int(r.requests),
        int(r.succeeded),
        int(r.throttledByKms),
        int(r.throttledByService),
        int(r.denied),
        int(r.failed),
        int(r.cacheHits),
      ]),
      textColumns: 4,
    });
  }
  if (services.quotas.length > 0) {
    tables.push({
      title: `${prefix}Service quotas`,
      header: ['region · account', 'quota', 'resource', 'rate /s', 'admitted', 'throttled'],
      rows: services.quotas.map((q) => [place(q), q.quota, q.resourceKey ?? '–', int(q.ratePerSec), int(q.admitted), int(q.throttled)]),
      textColumns: 3,
    });
  }
  return tables;
}
