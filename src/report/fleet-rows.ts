/**
 * One block of variant-table rows per fleet. In a run with several fleets (or regions) the variant total mixes fleets that
 * may be in very different shape — one throttled to a crawl, one untouched — so each fleet's answer gets its own rows
 * beside the total, for every variant. A run with one fleet gets none: its block would repeat the total.
 */
import type { FleetSummary } from '../metrics/index.js';
import { backlogCell, failureRate, int, ms, pct, rate, type VariantTableRow } from './cells.js';
import { deniedOf } from '../metrics/metric-catalog.js';
import type { RunResult, VariantResult } from './result.js';

/**
 * The fleets of a result in the scenario's order (as placed), then any only the metrics know (older results), each
 * once across variants: a matrix may give a variant a fleet the others lack.
 */
export function fleetNames(result: RunResult): string[] {
  const names: string[] = [];
  const add = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  for (const variant of result.variants) for (const name of Object.keys(variant.fleetPlacement ?? {})) add(name);
  for (const variant of result.variants) for (const name of Object.keys(variant.metrics.fleets)) add(name);
  return names;
}

/** True when the run has more than one fleet: then the total alone hides each fleet's answer. */
export function hasSeveralFleets(result: RunResult): boolean {
  return fleetNames(result).length > 1;
}

/** True when a policy denied any operation of any variant. */
export function anyDenied(result: RunResult): boolean {
  return result.variants.some((v) => deniedOf(v.metrics.total) > 0);
}

/** True when any fleet of any variant ended with a backlog that grew through the run. */
export function anyGrowingBacklog(result: RunResult): boolean {
  return result.variants.some((v) => Object.values(v.metrics.fleets).some((f) => f.total.backlog.growing));
}

interface FleetRowSpec {
  readonly label: string;
  readonly value: (fleet: FleetSummary) => string;
}

const FLEET_ROWS: readonly FleetRowSpec[] = [
  { label: 'offered /s', value: (f) => rate(f.total.offeredPerSec) },
  { label: 'goodput /s', value: (f) => rate(f.total.goodputPerSec) },
  { label: 'throttle rate', value: (f) => pct(f.total.throttleRate) },
  { label: 'retries', value: (f) => int(f.total.retries) },
  { label: 'failed (final)', value: (f) => int(f.total.failedTotal) },
  { label: 'failure rate', value: (f) => pct(failureRate(f.total)) },
  { label: 'latency p50 ms', value: (f) => ms(f.total.latencyUs.p50) },
  { label: 'latency p99 ms', value: (f) => ms(f.total.latencyUs.p99) },
];

const BACKLOG_ROW: FleetRowSpec = { label: 'backlog at end', value: (f) => backlogCell(f.total.backlog) };

/** `denied <op>`: denied of completed, per operation of the fleet, in the order the first variant recorded them. */
function deniedOperationRows(result: RunResult, fleet: string): FleetRowSpec[] {
  const operations = [...new Set(result.variants.flatMap((v) => Object.keys(v.metrics.fleets[fleet]?.operations ?? {})))];
  return operations.map((operation) => ({
    label: `denied ${operation}`,
    value: (f) => {
      const op = f.operations[operation];
      if (op === undefined) return '–';
      const denied = deniedOf(op);
      return denied === 0 ? `0 of ${int(op.completed)}` : `${int(denied)} of ${int(op.completed)} (${pct(denied / Math.max(1, op.completed))})`;
    },
  }));
}

/** Where a fleet called from in a variant: its region, or '–' when the result does not record it. */
function regionOf(variant: VariantResult, fleet: string): string {
  return variant.fleetPlacement?.[fleet]?.region ?? '–';
}

/**
 * The per-fleet rows: for each fleet a heading row (its region per variant) and its figures, one cell per variant
 * ('–' where a variant has no such fleet). Empty when the run has a single fleet.
 */
export function fleetRows(result: RunResult): VariantTableRow[] {
  const names = fleetNames(result);
  if (names.length < 2) return [];
  const specs = anyGrowingBacklog(result) ? [...FLEET_ROWS, BACKLOG_ROW] : FLEET_ROWS;
  const denials = anyDenied(result);
  const rows: VariantTableRow[] = [];
  for (const name of names) {
    rows.push({ label: `fleet ${name} · region`, cells: result.variants.map((v) => regionOf(v, name)), detail: false, heading: true });
    if (result.variants.some((v) => v.fleetPlacement?.[name]?.principal !== undefined)) {
      const cells = result.variants.map((v) => v.fleetPlacement?.[name]?.principal?.name ?? 'account root');
      rows.push({ label: 'principal', cells, detail: true, heading: false });
    }
    // With any denial in the run, each operation's denied share: which calls succeed and which a policy refuses.
    const fleetSpecs = denials ? [...specs, ...deniedOperationRows(result, name)] : specs;
    for (const spec of fleetSpecs) {
      rows.push({
        label: spec.label,
        cells: result.variants.map((v) => {
          const fleet = v.metrics.fleets[name];
          return fleet === undefined ? '–' : spec.value(fleet);
        }),
        detail: true,
        heading: false,
      });
    }
  }
  return rows;
}
