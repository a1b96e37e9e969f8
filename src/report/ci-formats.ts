/**
 * CI benchmark formats, so a run's metrics can be tracked across commits:
 *
 * - `gab`: github-action-benchmark's `customSmallerIsBetter` and `customBiggerIsBetter` tools, each a JSON array of
 *   `{ name, unit, value, range?, extra? }` (https://github.com/benchmark-action/github-action-benchmark).
 * - `bmf`: Bencher Metric Format, `{ "<benchmark>": { "<measure>": { value, lower_value?, upper_value? } } }`
 *   (https://bencher.dev/docs/reference/bencher-metric-format/).
 *
 * Every metric is tagged deterministic (virtual clock: a rerun gives the same number, gate it exactly) or noisy (wall
 * clock: gate it with a tolerance). The tag is in each gab entry's `extra`, and files are split by it, so each file
 * can be given its own alert threshold: `gab-smaller.noisy.json`, `bmf.deterministic.json`, ….
 *
 * Exported metrics are those with a direction (`offered` and other inputs are left out), for the variant as a whole,
 * per fleet when there is more than one, and per operation when a fleet has more than one (a scope that only repeats
 * its parent's numbers is skipped).
 */
import type { Better } from '../metrics/metric-catalog.js';
import { resultPoints } from './metric-values.js';
import type { Determinism, MetricPoint } from './metric-values.js';
import type { RunResult } from './result.js';

/** The CI formats `run --format` writes. */
export const CI_FORMATS = ['gab', 'bmf'] as const;
/** A CI benchmark format: `gab` (github-action-benchmark) or `bmf` (Bencher Metric Format). */
export type CiFormat = (typeof CI_FORMATS)[number];

/** One entry of a github-action-benchmark `customSmallerIsBetter` / `customBiggerIsBetter` array. */
export interface GabEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly range?: string;
  readonly extra?: string;
}

/** One Bencher metric. */
export interface BmfMetric {
  readonly value: number;
  readonly lower_value?: number;
  readonly upper_value?: number;
}

/** Bencher Metric Format: benchmark → measure → metric. */
export type BmfDocument = Record<string, Record<string, BmfMetric>>;

/** A file to write: its name in the report directory and its JSON content. */
export interface CiFile {
  readonly name: string;
  readonly content: unknown;
}

/** The metrics a result exports to CI: directional, in non-redundant scopes. */
export function ciPoints(result: RunResult): MetricPoint[] {
  return resultPoints(result, { distinct: true }).filter((point) => point.better !== 'none');
}

function gabName(result: RunResult, point: MetricPoint): string {
  return `${result.scenario.name}/${point.variant}/${point.path}`;
}

function gabExtra(point: MetricPoint): string {
  return point.determinism === 'deterministic'
    ? 'deterministic: virtual-clock figure, a rerun gives the same value'
    : 'noisy: wall-clock figure, compare with a tolerance';
}

/** github-action-benchmark arrays, one per direction (`smaller` is better, `bigger` is better), for one determinism. */
export function toGab(result: RunResult, points: readonly MetricPoint[] = ciPoints(result)): Record<'smaller' | 'bigger', GabEntry[]> {
  const pick = (better: Better): GabEntry[] =>
    points
      .filter((point) => point.better === better)
      .map((point) => ({ name: gabName(result, point), unit: point.unit, value: point.value, extra: gabExtra(point) }));
  return { smaller: pick('lower'), bigger: pick('higher') };
}

/** Bencher Metric Format: benchmark `<scenario>/<variant>[/fleets.<fleet>[.ops.<Op>]]`, measure = metric name. */
export function toBmf(result: RunResult, points: readonly MetricPoint[] = ciPoints(result)): BmfDocument {
  const document: BmfDocument = {};
  for (const point of points) {
    const scope = point.path.slice(0, point.path.length - point.metric.length).replace(/\.$/, '');
    const benchmark = `${result.scenario.name}/${point.variant}${scope === '' ? '' : `/${scope}`}`;
    (document[benchmark] ??= {})[point.metric] = { value: point.value };
  }
  return document;
}

/** The files of the requested formats, split by determinism; only non-empty ones. */
export function ciFiles(result: RunResult, formats: readonly CiFormat[]): CiFile[] {
  const all = ciPoints(result);
  const files: CiFile[] = [];
  const tags: Determinism[] = ['deterministic', 'noisy'];
  for (const tag of tags) {
    const points = all.filter((point) => point.determinism === tag);
    if (points.length === 0) continue;
    if (formats.includes('gab')) {
      const gab = toGab(result, points);
      if (gab.smaller.length > 0) files.push({ name: `gab-smaller.${tag}.json`, content: gab.smaller });
      if (gab.bigger.length > 0) files.push({ name: `gab-bigger.${tag}.json`, content: gab.bigger });
    }
    if (formats.includes('bmf')) files.push({ name: `bmf.${tag}.json`, content: toBmf(result, points) });
  }
  return files;
}
