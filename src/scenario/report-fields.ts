/**
 * `prices:`, the scenario's overrides of the cost model's price table (prices.ts), checked like every other
 * field: unknown names with a suggestion, values with their path. (`thresholds:` is checked in thresholds.ts.)
 */
import * as z from 'zod';
import { PRICE_NAMES, PRICE_ROWS } from './prices.js';
import type { PriceName } from './prices.js';
import { didYouMean, listOf } from '../base/text.js';

function priceField(name: PriceName) {
  const row = PRICE_ROWS.find((candidate) => candidate.name === name);
  const number = row?.integer === true ? z.int().min(0) : z.number().min(0);
  return (name === 'hoursPerMonth' ? z.number().positive() : number).optional();
}

/** `prices:` — any subset of the price table, each a number ≥ 0 (whole numbers for counts, hoursPerMonth > 0). */
export const pricesSchema = z.strictObject(
  Object.fromEntries(PRICE_NAMES.map((name) => [name, priceField(name)])) as Record<PriceName, z.ZodOptional<z.ZodNumber>>,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys
            .map((key) => {
              const suggestion = didYouMean(key, PRICE_NAMES);
              return suggestion === '' ? `unrecognized key; prices are ${listOf(PRICE_NAMES)}` : `unrecognized key${suggestion}`;
            })
            .join('\n')
        : undefined,
  },
);
