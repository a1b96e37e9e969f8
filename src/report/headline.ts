/**
 * The answer first: one to three sentences saying what a run found, shown above the table in the terminal, summary.md
 * and report.html. Derived from the results alone, never from a scenario's name: a matrix over data-key caches gets
 * the cache answer, one over retry policies the backoff answer, a single variant which fleets its quota throttled (or
 * the headroom it left), anything else who throttles and who does not.
 *
 * A number here is a promise. The sentences say first what limits the run — incomplete, calls a policy denied
 * (headline-denied.ts), a generator that fell behind, a backlog that grew, less than one quota window — and then
 * quote only what the run supports (headline-figures.ts).
 */
import { int } from './cells.js';
import { shortVariantLabels } from './chart-style.js';
import { backlogGrows, listText, percentText } from './headline-figures.js';
import { backoffHeadline, cachingHeadline, genericHeadline, isCached, type LabelOf } from './headline-matrix.js';
import { quotaHeadline } from './headline-quota.js';
import { deniedHeadline } from './headline-denied.js';
import { servicesHeadline } from './services-report.js';
import type { RunResult, VariantResult } from './result.js';
import { formatNumber } from './text.js';

/** A matrix axis that changes a data-key cache: `fleets.app.cache`, or one of its fields. */
const CACHE_AXIS = /(^|\.)cache(\.|$)/;
/** A matrix axis that changes a retry policy: `retry`, `fleets.web.retry`, or one of its fields. */
const RETRY_AXIS = /(^|\.)retry(\.|$)/;

/** The matrix axes whose value differs between the variants. */
function differingAxes(variants: readonly VariantResult[]): string[] {
  const axes = [...new Set(variants.flatMap((v) => Object.keys(v.values)))];
  return axes.filter((axis) => new Set(variants.map((v) => JSON.stringify(v.values[axis]) ?? 'undefined')).size > 1);
}

/** True when the variants ran different retry policies although no axis says so (an older result without values). */
function retryPoliciesDiffer(variants: readonly VariantResult[]): boolean {
  const policies = variants.map((v) => JSON.stringify(Object.values(v.fleetPlacement ?? {}).map((p) => p.retry ?? null)));
  return new Set(policies).size > 1;
}

/** `Incomplete (interrupted): …` — what stopped, and which variants the rest of the headline covers. */
function stateSentence(result: RunResult, finished: readonly VariantResult[], label: LabelOf): string {
  const variants = result.variants;
  const reason = result.reason ?? variants.find((v) => v.state !== 'completed')?.reason ?? 'a variant did not finish';
  const lead = `Incomplete (${reason})`;
  if (variants.length === 0) return `${lead}: nothing was measured.`;
  if (finished.length === 0) {
    const measured = Math.max(...variants.map((v) => v.metrics.durationSec));
    return `${lead}: the figures cover the ${formatNumber(measured)} s measured before it stopped.`;
  }
  if (finished.length === variants.length) return `${lead}: only ${listText(variants.map(label))} ran.`;
  const [only] = finished;
  if (finished.length === 1 && only !== undefined) return `${lead}: only ${label(only)} finished, so there is nothing to compare it with.`;
  const unfinished = variants.filter((v) => !finished.includes(v));
  return `${lead}: ${finished.length} of ${variants.length} variants finished; ${listText(unfinished.map(label))} ${unfinished.length === 1 ? 'is' : 'are'} left out.`;
}

/** What makes figures unsafe to act on, said before them: a generator that fell behind, no whole window, a backlog. */
function caveats(result: RunResult, variants: readonly VariantResult[], label: LabelOf): string[] {
  const several = result.variants.length > 1;
  // Named only when it is some of the variants: "in every one of them" goes without saying.
  const inWhich = (vs: readonly VariantResult[]): string => (several && vs.length < result.variants.length ? ` in ${listText(vs.map(label))}` : '');
  const sentences: string[] = [];
  const limited = variants.filter((v) => v.harnessLimited);
  if (limited.length > 0) {
    const share = Math.max(...limited.map((v) => v.metrics.total.lateOrDroppedRate));
    sentences.push(
      `The load generator fell behind${inWhich(limited)} (${limited.length > 1 ? 'up to ' : ''}${percentText(share)} of requests late or dropped): ` +
        `${several ? 'those' : 'its'} goodput and latency measure the harness, not KMS.`,
    );
  }
  const short = variants.filter((v) => !v.metrics.rateWindow.whole);
  if (short.length > 0) {
    const measured = Math.max(...short.map((v) => v.metrics.durationSec));
    sentences.push(`The run measured ${formatNumber(measured)} s${inWhich(short)}, less than one quota window: no per-second figure or cost is quoted.`);
  }
  const growing = variants.filter(backlogGrows);
  if (growing.length > 0) {
    const fleets = [...new Set(growing.flatMap((v) => Object.entries(v.metrics.fleets).filter(([, f]) => f.total.backlog.growing).map(([n]) => n)))];
    const waiting = growing.reduce((sum, v) => sum + v.metrics.total.backlog.atEnd, 0);
    sentences.push(
      `Not a steady state${inWhich(growing)}: the backlog of ${listText(fleets)} grows through the run (${int(waiting)} operations still ` +
        `waiting at the end), so ${growing.length > 1 ? 'their' : 'its'} failures are not final and no cost is quoted.`,
    );
  }
  return sentences;
}

/** The finding proper, over the variants that finished. */
function finding(variants: readonly VariantResult[], label: LabelOf): string[] {
  const [only] = variants;
  if (variants.length === 1 && only !== undefined) return quotaHeadline(only);
  const axes = differingAxes(variants);
  if (axes.length > 0 && axes.every((axis) => CACHE_AXIS.test(axis)) && variants.some(isCached)) {
    const sentences = cachingHeadline(variants, label);
    if (sentences.length > 0) return sentences;
  }
  if (axes.length > 0 ? axes.every((axis) => RETRY_AXIS.test(axis)) : retryPoliciesDiffer(variants)) return backoffHeadline(variants, label);
  return genericHeadline(variants, label);
}

/**
 * What the run found, as sentences to print first: a state sentence when it did not complete, the caveats that limit
 * its figures, then the finding. Variants are named by their short labels (chart-style.ts), as in the tables.
 */
export function headline(result: RunResult): string[] {
  const labels = shortVariantLabels(result);
  const byName = new Map(result.variants.map((v, i) => [v.name, labels[i] ?? v.name]));
  const label: LabelOf = (v) => byName.get(v.name) ?? v.name;
  const finished = result.variants.filter((v) => v.state === 'completed');
  const complete = result.state === 'completed' && finished.length === result.variants.length;
  const sentences = complete ? [] : [stateSentence(result, finished, label)];
  if (result.variants.length === 0) return sentences.length > 0 ? sentences : ['No variant ran: nothing was measured.'];
  // An unfinished variant ran for less time than the others: comparing its counts with theirs would mislead.
  const variants = finished.length > 0 ? finished : result.variants;
  // A denial is a policy to fix, not a figure to weigh: it comes before the caveats and the capacity finding.
  const denied = deniedHeadline(variants, label, result.variants.length > 1);
  // Who used the quota, when AWS services called KMS too: the first variant's answer (one variant is the usual case).
  const [first] = variants;
  const services = first === undefined ? [] : servicesHeadline(first);
  return [...sentences, ...denied, ...caveats(result, variants, label), ...services, ...finding(variants, label)];
}
