/** Number formatting shared by the report renderers. */

/** A number for people: integers with thousands separators, small numbers with enough significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (abs >= 1) return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return String(Number(value.toPrecision(3)));
}

/** USD with cents (and more precision below a dollar). */
export function formatUsd(value: number | null): string {
  // Null is a figure the run cannot support (cost.ts says why): never a false $0.00.
  if (value === null) return 'n/a';
  if (Math.abs(value) > 0 && Math.abs(value) < 0.01) return `$${value.toPrecision(2)}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
