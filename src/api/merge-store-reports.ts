/**
 * The shared quota store's reports and the services' quotas of one variant's instances, combined for `kms-bench merge`:
 * each instance counted its own decisions, so the merged result carries their sums.
 */
import type { QuotaStoreReport } from '../quota/index.js';
import type { VariantResult } from '../report/result-types.js';
import type { ServiceQuotaSnapshot } from '../services/service-quota.js';

/**
 * The instances' store reports as one: fault decisions and lease misses summed, admissions added by Unix second (the
 * store's windows are wall-clock seconds, the same on every host), fault windows moved onto the merged timeline by
 * each instance's offset and listed by wall time. Undefined when no instance used a shared store.
 */
export function mergeStoreReports(variants: readonly VariantResult[], offsetsSec: readonly number[]): QuotaStoreReport | undefined {
  const reports = variants.flatMap((v, i) => (v.quotaStore === undefined ? [] : [{ report: v.quotaStore, offset: offsetsSec[i] ?? 0 }]));
  const first = reports[0]?.report;
  if (first === undefined) return undefined;
  const faultWindows = reports
    .flatMap(({ report, offset }) => report.faultWindows.map((w) => ({ ...w, fromSecond: w.fromSecond + offset, toSecond: w.toSecond + offset })))
    .sort((a, b) => a.fromSecond - b.fromSecond || a.toSecond - b.toSecond);
  return {
    ...first,
    faultDecisions: reports.reduce((sum, { report }) => sum + report.faultDecisions, 0),
    leaseMisses: reports.reduce((sum, { report }) => sum + report.leaseMisses, 0),
    faultWindows,
    admittedPerUnixSecond: addByUnixSecond(reports.map(({ report }) => report.admittedPerUnixSecond)),
  };
}

/** Per-second counts that each start at their own Unix second, added second by second. */
function addByUnixSecond(lines: readonly QuotaStoreReport['admittedPerUnixSecond'][]): QuotaStoreReport['admittedPerUnixSecond'] {
  const used = lines.filter((line) => line.counts.length > 0);
  if (used.length === 0) return lines[0] ?? { fromUnixSecond: 0, counts: [] };
  const from = Math.min(...used.map((line) => line.fromUnixSecond));
  const to = Math.max(...used.map((line) => line.fromUnixSecond + line.counts.length));
  const counts = new Array<number>(to - from).fill(0);
  for (const line of used) {
    line.counts.forEach((count, i) => {
      const at = line.fromUnixSecond - from + i;
      counts[at] = (counts[at] ?? 0) + count;
    });
  }
  return { fromUnixSecond: from, counts };
}

/**
 * The services' quota rows of every instance, admitted and throttled summed per (account, region, quota, resource);
 * the rate is the quota's own, not summed. Undefined when no instance modelled services.
 */
export function mergeServiceQuotas(variants: readonly VariantResult[]): ServiceQuotaSnapshot[] | undefined {
  const rows = variants.flatMap((v) => v.services?.quotas ?? []);
  if (variants.every((v) => v.services === undefined)) return undefined;
  const summed = new Map<string, ServiceQuotaSnapshot>();
  for (const row of rows) {
    const key = [row.accountId, row.region, row.quota, row.resourceKey ?? ''].join('\u0000');
    const into = summed.get(key);
    summed.set(key, into === undefined ? { ...row } : { ...into, admitted: into.admitted + row.admitted, throttled: into.throttled + row.throttled });
  }
  return [...summed.values()];
}
