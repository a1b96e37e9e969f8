/**
 * CI formats against their documented shapes: github-action-benchmark's custom tools take an array of
 * `{ name, unit, value, range?, extra? }`; Bencher Metric Format is `{ benchmark: { measure: { value, lower_value?,
 * upper_value? } } }`. Every metric is tagged deterministic (virtual clock) or noisy (wall clock).
 */
import { describe, expect, test } from 'vitest';
import { ciFiles, ciPoints, toBmf, toGab } from '../src/report/ci-formats.js';
import type { RunResult } from '../src/report/result.js';
import { simpleScenario, syntheticResult } from './support/report-fixture.js';

function result(clock: 'wall' | 'virtual', fleets: 'one' | 'two' = 'one'): RunResult {
  const ops = [
    { fleet: 'web', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 50, throttledPerSec: 5, latencyUs: 1_500 },
    { fleet: 'web', op: 'Decrypt', bucket: 'symmetric', admittedPerSec: 30 },
    ...(fleets === 'two' ? [{ fleet: 'batch', op: 'Encrypt', bucket: 'symmetric', admittedPerSec: 10 }] : []),
  ];
  return syntheticResult({ name: 'ci', clock, variants: [{ name: 'default', scenario: simpleScenario(['Encrypt', 'Decrypt']), ops }] });
}

const GAB_KEYS = new Set(['name', 'unit', 'value', 'range', 'extra']);

describe('github-action-benchmark format', () => {
  test('two arrays of { name, unit, value, extra } with finite numbers and unique names', () => {
    const gab = toGab(result('wall'));
    for (const entries of [gab.smaller, gab.bigger]) {
      expect(Array.isArray(entries)).toBe(true);
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        for (const key of Object.keys(entry)) expect(GAB_KEYS.has(key)).toBe(true);
        expect(typeof entry.name).toBe('string');
        expect(typeof entry.unit).toBe('string');
        expect(Number.isFinite(entry.value)).toBe(true);
        expect(typeof entry.extra).toBe('string');
      }
      expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    }
  });

  test('latency, throttles and cost are smaller-is-better; goodput is bigger-is-better; inputs are left out', () => {
    const gab = toGab(result('wall'));
    const smaller = gab.smaller.map((e) => e.name);
    const bigger = gab.bigger.map((e) => e.name);
    expect(smaller).toContain('ci/default/latencyUs.p99');
    expect(smaller).toContain('ci/default/throttleRate');
    expect(smaller).toContain('ci/default/costUsdPerMonth');
    expect(smaller).toContain('ci/default/fleets.web.ops.Encrypt.latencyUs.p99');
    expect(bigger).toContain('ci/default/goodputPerSec');
    expect([...smaller, ...bigger].some((name) => name.endsWith('/offered'))).toBe(false);
    expect(gab.smaller.find((e) => e.name === 'ci/default/latencyUs.p99')?.unit).toBe('us');
  });

  test('a scope that repeats its parent is not exported: one fleet has no fleet-level entries', () => {
    const names = ciPoints(result('wall')).map((p) => p.path);
    expect(names.some((path) => /^fleets\.web\.[a-zA-Z]+$/.test(path))).toBe(false);
    const two = ciPoints(result('wall', 'two')).map((p) => p.path);
    expect(two).toContain('fleets.web.throttleRate');
    expect(two).toContain('fleets.batch.throttleRate');
    // batch calls one operation: its operation scope would repeat the fleet's numbers.
    expect(two.some((path) => path.startsWith('fleets.batch.ops.'))).toBe(false);
  });

  test('each metric is tagged noisy on the wall clock and deterministic on the virtual clock', () => {
    expect(toGab(result('wall')).smaller.every((e) => e.extra?.startsWith('noisy'))).toBe(true);
    expect(toGab(result('virtual')).bigger.every((e) => e.extra?.startsWith('deterministic'))).toBe(true);
  });
});

describe('Bencher Metric Format', () => {
  test('benchmark → measure → { value } with only the documented fields', () => {
    const bmf = toBmf(result('wall'));
    expect(Object.keys(bmf)).toEqual(['ci/default', 'ci/default/fleets.web.ops.Encrypt', 'ci/default/fleets.web.ops.Decrypt']);
    for (const measures of Object.values(bmf)) {
      for (const metric of Object.values(measures)) {
        for (const key of Object.keys(metric)) expect(['value', 'lower_value', 'upper_value']).toContain(key);
        expect(Number.isFinite(metric.value)).toBe(true);
      }
    }
    const total = bmf['ci/default'];
    expect(total?.['goodputPerSec']?.value).toBe(80);
    expect(total?.['throttleRate']?.value).toBeCloseTo(5 / 85, 12);
  });
});

describe('CI files', () => {
  test('files are split by direction and by determinism, so each can get its own alert threshold', () => {
    expect(ciFiles(result('wall'), ['gab', 'bmf']).map((f) => f.name)).toEqual([
      'gab-smaller.noisy.json',
      'gab-bigger.noisy.json',
      'bmf.noisy.json',
    ]);
    expect(ciFiles(result('virtual'), ['bmf']).map((f) => f.name)).toEqual(['bmf.deterministic.json']);
    expect(ciFiles(result('wall'), [])).toEqual([]);
  });
});
