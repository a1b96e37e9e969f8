/**
 * How long per-second timelines are. A run that completes its schedule has one slot per scheduled second plus a last
 * slot for the drain after the scheduled end (src/metrics/rates.ts). An interrupted run's timelines end at what ran:
 * each worker or simulation returns the seconds it reached, so a 1,000-hour run stopped after 6 s returns 7 slots,
 * not 3.6 million. Parts of one run may then differ in length by the second or so their stops differ; they are
 * padded with zeros to the longest before they are merged (merging requires one length).
 */
import type { WorkerMetrics } from '../metrics/wire.js';

/** Timeline slots of a run of `durationMs` that completes: whole scheduled seconds (at least 1) and the drain. */
export function timelineSlots(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs / 1000)) + 1;
}

function padded(values: readonly number[], length: number): number[] {
  if (values.length >= length) return values as number[];
  const out = new Array<number>(length).fill(0);
  for (let i = 0; i < values.length; i++) out[i] = values[i] as number;
  return out;
}

/**
 * The parts with every timeline padded with zeros to the longest part's length (parts already that long are returned
 * as they are), so parts of an interrupted run, which stopped a second apart, merge.
 */
export function padTimelines(parts: readonly WorkerMetrics[]): WorkerMetrics[] {
  const length = parts.reduce((longest, part) => Math.max(longest, part.timelineSeconds), 0);
  return parts.map((part) => {
    if (part.timelineSeconds === length) return part;
    return {
      ...part,
      timelineSeconds: length,
      operations: part.operations.map((op) => ({
        ...op,
        timeline: { offered: padded(op.timeline.offered, length), succeeded: padded(op.timeline.succeeded, length), ended: padded(op.timeline.ended, length) },
      })),
      timelines: part.timelines.map((line) => ({ ...line, admitted: padded(line.admitted, length), throttled: padded(line.throttled, length) })),
    };
  });
}
