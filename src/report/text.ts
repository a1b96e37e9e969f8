/** Number formatting shared by the report renderers. */

// Numbers for people are formatted in base/ so the engine's abort reasons read as the report's figures do.
export { formatNumber } from '../base/text.js';

/** USD with cents (and more precision below a dollar). */
export function formatUsd(value: number | null): string {
  // Null is a figure the run cannot support (cost.ts says why): never a false $0.00.
  if (value === null) return 'n/a';
  if (Math.abs(value) > 0 && Math.abs(value) < 0.01) return `$${value.toPrecision(2)}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
