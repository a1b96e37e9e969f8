/**
 * What heads a variant's column in the comparison tables. Full variant names (`fleets.app.cache=maxAge:500ms
 * maxMessagesEncrypted:100`) make a five-variant table too wide for a terminal or a page, so columns are headed by
 * what differs between the variants (chart-style.ts's short labels, the same the chart legends use) or, when even
 * those are too wide, by letters; a legend then maps each header back to the variant's full name, which thresholds,
 * `compare` and result.json use.
 */
import { shortVariantLabels } from './chart-style.js';
import type { RunResult } from './result.js';

/** How columns are headed: the variant names, their short labels, or A, B, C… */
export type ColumnStyle = 'names' | 'short' | 'letters';

/** A column header and the variant it stands for. */
export interface LegendEntry {
  readonly header: string;
  readonly name: string;
}

/** The headers of a result's variant columns. */
export interface VariantColumns {
  readonly style: ColumnStyle;
  /** One header per variant, in the result's order. */
  readonly headers: readonly string[];
  /**
   * Header → variant name for every variant, when some header does not say its variant's name; empty when each does
   * (the name itself, or the value of a one-axis matrix: `exponential` for `retry=exponential`).
   */
  readonly legend: readonly LegendEntry[];
}

/** Column letters: A…Z, then AA, AB… */
export function columnLetter(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : `${columnLetter(Math.floor(index / 26) - 1)}${letter}`;
}

/** True when a header names its variant well enough on its own: the name, or the name's value after its one `=`. */
function saysName(header: string, name: string): boolean {
  return header === name || (name.split('=').length === 2 && name.endsWith(`=${header}`));
}

/** The column headers of `result`'s variants in the given style. */
export function variantColumns(result: RunResult, style: ColumnStyle): VariantColumns {
  const names = result.variants.map((v) => v.name);
  const headers = style === 'names' ? names : style === 'letters' ? names.map((_, i) => columnLetter(i)) : shortVariantLabels(result);
  const needed = headers.some((header, i) => !saysName(header, names[i] ?? header));
  return { style, headers, legend: needed ? headers.map((header, i) => ({ header, name: names[i] ?? header })) : [] };
}

/** The legend as lines (`A  retry=immediate`), headers padded to one width; none when not needed. */
export function legendLines(columns: VariantColumns): string[] {
  const width = Math.max(0, ...columns.legend.map((entry) => entry.header.length));
  return columns.legend.map((entry) => `${entry.header.padEnd(width)}  ${entry.name}`);
}
