/**
 * How report.html tells variants apart. Five retry policies over the same overload draw nearly the same lines, so
 * colour alone is not enough (nor for a colour-blind reader or a grey-scale print): each variant gets a colour from a
 * colour-blind-safe categorical palette AND a dash pattern AND a point marker, and legends name a variant by what
 * differs between the variants (its matrix values), not by its long name.
 */
import { axisLabels } from '../scenario/matrix.js';
import type { RunResult } from './result.js';

/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), its yellow darkened to be readable on white
 * and its black left out (the quota line is black).
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#A08400', '#6B6B6B'] as const;

/** Dash patterns (canvas `setLineDash`, CSS px), solid first, each distinct at a glance. */
export const DASHES: readonly (readonly number[])[] = [[], [10, 5], [2, 4], [12, 4, 2, 4], [5, 3]];

/** Point markers the page can draw (html-client.ts). */
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const;
export type MarkerShape = (typeof MARKERS)[number];

/** A variant's look in every chart. */
export interface VariantStyle {
  readonly color: string;
  readonly dash: readonly number[];
  readonly marker: MarkerShape;
}

/** The colour of the variant at `index`. */
export function variantColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? PALETTE[0];
}

/**
 * The style of the variant at `index`. Colours cycle every 8, dashes every 5 and markers every 5, so the first 40
 * variants differ in at least one way and the first 5 in all three.
 */
export function variantStyle(index: number): VariantStyle {
  return { color: variantColor(index), dash: DASHES[index % DASHES.length] ?? [], marker: MARKERS[index % MARKERS.length] ?? 'circle' };
}

/** Labels of one axis's value in each variant, as the variant names show them (`{ policy: full-jitter, … }` → `full-jitter`). */
function axisValueLabels(values: readonly unknown[]): string[] {
  const keys = values.map((value) => JSON.stringify(value) ?? 'undefined');
  const distinct = [...new Set(keys)];
  const labels = axisLabels(distinct.map((key) => values[keys.indexOf(key)]));
  return keys.map((key) => labels[distinct.indexOf(key)] ?? key);
}

/**
 * A short legend label per variant: its values of the matrix axes that differ between the variants (`full-jitter`,
 * or `exponential · kms-2019` for two axes), labelled as in variant names, so the legend names what changed. Falls
 * back to the variant names when that would not tell every variant apart (one variant, no matrix) or is no shorter.
 */
export function shortVariantLabels(result: RunResult): string[] {
  const variants = result.variants;
  const names = variants.map((v) => v.name);
  if (variants.length < 2) return names;
  const axes = [...new Set(variants.flatMap((v) => Object.keys(v.values)))].filter(
    (axis) => new Set(variants.map((v) => JSON.stringify(v.values[axis]) ?? 'undefined')).size > 1,
  );
  if (axes.length === 0) return names;
  const perAxis = axes.map((axis) => axisValueLabels(variants.map((v) => v.values[axis])));
  const labels = variants.map((_, i) => perAxis.map((labelsOfAxis) => labelsOfAxis[i] ?? '').join(' · '));
  if (new Set(labels).size !== labels.length) return names;
  return labels.map((label, i) => (label.length < (names[i] ?? '').length ? label : (names[i] ?? label)));
}
