/**
 * One block of variant-table rows per fleet. In a run with several fleets (or regions) the variant total mixes fleets that
 * may be in very different shape — one throttled to a crawl, one untouched — so each fleet's answer gets its own rows
 * beside the total, for every variant. A run with one fleet gets none: its block would repeat the total.
 */
import type { FleetSummary } from '../metrics/index.js';
import { backlogCell, failureRate, int, ms, pct, rate, type VariantTableRow } from './cells.js';
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
  const rows: VariantTableRow[] = [];
  for (const name of names) {
    rows.push({ label: `fleet ${name} · region`, cells: result.variants.map((v) => regionOf(v, name)), detail: false, heading: true });
    for (const spec of specs) {
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
