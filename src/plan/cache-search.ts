/**
 * The cache search: a grid of data-key cache settings inside the scenario's security limits (`plan.cache`), each
 * probed with every seed. Every cache field moves KMS calls one way and exposure the other (more messages or more time
 * per data key is fewer calls and more data under one key), so the useful output is the Pareto front of KMS calls
 * against measured exposure, and the answer is the passing setting with the fewest KMS calls — among those within the
 * tolerance of the fewest, the one with the least exposure, since calls that close are the same bill.
 *
 * A grid, not a search: the front is the answer's context and a search would skip most of it. It is small — the 1-2-5
 * steps of maxMessagesEncrypted and a handful of maxAge values up to the limits, times the capacities given — and each
 * step probes eight settings per worker, so the pool stays busy and the per-step cost is paid a few times only.
 */
import { formatNumber } from '../base/text.js';
import { ageText, cacheText } from './answer-text.js';
import type { CacheQuestion } from './plan-question.js';
import type { CacheSetting, Probe } from './plan-types.js';
import { runProbes, type ProbeContext } from './probe-run.js';
import { bestProbe } from './numeric-plan.js';
import { worstOf } from './probe-table.js';
import { settingsFields, type SearchBody, type SearchSettings } from './search-settings.js';

/** maxAge values tried below the limit, in ms (the limit itself is always tried). */
const AGE_STEPS_MS = [1_000, 10_000, 60_000, 300_000, 900_000, 3_600_000] as const;

/** 1, 2, 5, 10, 20, 50, … up to `limit`, and `limit` itself. */
export function messageSteps(limit: number): number[] {
  const steps: number[] = [];
  for (let decade = 1; decade <= limit; decade *= 10) for (const m of [1, 2, 5]) if (m * decade < limit) steps.push(m * decade);
  return [...steps, limit];
}

/** The grid of settings inside the limits. */
export function cacheGrid(question: CacheQuestion): CacheSetting[] {
  const ages = [...AGE_STEPS_MS.filter((ms) => ms < question.maxKeyAgeMs), question.maxKeyAgeMs];
  return messageSteps(question.maxMessagesPerKey).flatMap((maxMessagesEncrypted) =>
    ages.flatMap((maxAgeMs) => question.capacities.map((capacity) => ({ maxMessagesEncrypted, maxAgeMs, capacity }))),
  );
}

// worstOf's rule, ranked: an unknown figure (NaN) sorts as the worst, so an unmeasured setting never beats a measured one.
const worst = (probe: Probe, pick: (s: Probe['seeds'][number]) => number | null | undefined): number => {
  const value = worstOf(probe, pick);
  return Number.isNaN(value) ? Infinity : value;
};

/** The passing probes no other passing probe beats on KMS calls, messages per key and key age at once. */
export function paretoFront(probes: readonly Probe[]): Probe[] {
  const passing = probes.filter((p) => p.ok);
  const dims = (p: Probe): number[] => [worst(p, (s) => s.kmsCallsPerSec), worst(p, (s) => s.messagesPerKeyMax), worst(p, (s) => s.maxKeyAgeMs)];
  return passing.filter((p) => {
    const mine = dims(p);
    return !passing.some((q) => {
      if (q === p) return false;
      const theirs = dims(q);
      return theirs.every((v, i) => v <= (mine[i] ?? 0)) && theirs.some((v, i) => v < (mine[i] ?? 0));
    });
  });
}

/** Among the passing probes within the tolerance of the fewest KMS calls, the least exposed. */
export function chooseCache(probes: readonly Probe[], tolerance: number): Probe | undefined {
  const passing = probes.filter((p) => p.ok && p.cache !== undefined);
  if (passing.length === 0) return undefined;
  const calls = (p: Probe): number => worst(p, (s) => s.kmsCallsPerSec);
  const fewest = Math.min(...passing.map(calls));
  const near = passing.filter((p) => calls(p) <= fewest * (1 + tolerance));
  const exposure = (p: Probe): number[] => [p.cache?.maxMessagesEncrypted ?? 0, p.cache?.maxAgeMs ?? 0, p.cache?.capacity ?? 0];
  return near.sort((a, b) => {
    const [x, y] = [exposure(a), exposure(b)];
    return (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0) || (x[2] ?? 0) - (y[2] ?? 0);
  })[0];
}

/** Runs the cache grid for one fleet. */
export async function runCacheSearch(question: CacheQuestion, context: ProbeContext, settings: SearchSettings): Promise<SearchBody> {
  const grid = cacheGrid(question);
  // Several settings per worker per step: a grid needs no step's answer to choose the next, so larger steps only
  // save the per-step cost (a pool start and a scenario validation), and the pool balances uneven settings.
  const perStep = Math.max(2, Math.ceil((8 * settings.workers) / settings.seeds.length));
  const probes: Probe[] = [];
  let stopped: string | undefined;
  for (let start = 0, step = 1; start < grid.length; start += perStep, step++) {
    const settingsHere = grid.slice(start, start + perStep);
    const values = settingsHere.map((s) => ({ ...question.kept, maxMessagesEncrypted: s.maxMessagesEncrypted, maxAge: `${s.maxAgeMs}ms`, capacity: s.capacity }));
    settings.onStep?.({ step, values: settingsHere.map(cacheText), seeds: settings.seeds.length, where: `${start} of ${grid.length} settings probed` });
    const batch = await runProbes(context, question.field, values, (i) => cacheText(settingsHere[i] ?? { maxMessagesEncrypted: 0, maxAgeMs: 0, capacity: 0 }));
    settingsHere.forEach((cache, i) => {
      const seeds = batch.measures[i] ?? [];
      if (seeds.length === settings.seeds.length) probes.push({ value: start + i, cache, step, ok: seeds.every((s) => s.ok), seeds });
    });
    settings.timings.push(batch.timing);
    if (!batch.ok) {
      stopped = batch.reason;
      break;
    }
  }
  const front = paretoFront(probes);
  const notes: string[] = [];
  if (question.maxKeyAgeMs > settings.simulatedSecondsPerProbe * 1000) {
    notes.push(
      `maxAge values longer than a probe (${formatNumber(settings.simulatedSecondsPerProbe)} s simulated) cannot retire a key by age within it; ` +
        'run longer probes (--duration) to weigh them',
    );
  }
  const base = {
    ...settingsFields(settings),
    target: question.fleet,
    field: question.field,
    unit: 'setting',
    bounds: { min: 0, max: grid.length - 1 },
    probes,
    paretoValues: front.map((p) => p.value),
  };
  if (stopped !== undefined) return { ...base, state: 'incomplete', reason: stopped, outcome: 'stopped', notes: [...notes, `the search stopped: ${stopped}`] };
  const chosen = chooseCache(probes, settings.tolerance);
  if (chosen?.cache === undefined) {
    const best = bestProbe(probes, 'above');
    return { ...base, state: 'completed', outcome: 'none', ...(best === undefined ? {} : { best }), notes };
  }
  const calls = worst(chosen, (s) => s.kmsCallsPerSec);
  const messages = worst(chosen, (s) => s.messagesPerKeyMax);
  const age = worst(chosen, (s) => s.maxKeyAgeMs);
  const sentence =
    `${question.fleet} meets its objectives with the fewest KMS calls (${formatNumber(Number(calls.toPrecision(3)))}/s) at ${cacheText(chosen.cache)}; ` +
    `at most ${formatNumber(messages)} messages and ${ageText(age)} per data key were measured, inside the limits of ` +
    `${formatNumber(question.maxMessagesPerKey)} messages and ${ageText(question.maxKeyAgeMs)}`;
  return { ...base, state: 'completed', outcome: 'found', answer: { value: chosen.value, cache: chosen.cache, sentence }, notes };
}
