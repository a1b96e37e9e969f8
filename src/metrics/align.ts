/**
 * Lining up the timelines of instances that ran one scenario on several hosts, so their seconds add up second by
 * second (`kms-bench merge`). Each instance's timelines count from its own second 0; an instance that started `offset`
 * whole seconds after the earliest has its seconds moved `offset` later. The last slot of a completed instance is its
 * drain (everything after its scheduled end): it goes to the merged timeline's last slot, the merged drain.
 */
import type { OperationTimeline, WorkerMetrics } from './wire.js';

/** Where one instance's timelines go in the merged ones. */
export interface TimelinePlacement {
  /** Whole seconds after the earliest instance's second 0 that this instance's second 0 fell. */
  readonly offsetSec: number;
  /** True when the instance ran its schedule: its last slot is the drain. */
  readonly hasDrain: boolean;
}

/** The merged timeline length: every instance's seconds at their offsets, and one drain slot when any has one. */
export function alignedLength(parts: readonly { readonly wire: WorkerMetrics; readonly placement: TimelinePlacement }[]): number {
  let regular = 0;
  for (const { wire, placement } of parts) {
    regular = Math.max(regular, placement.offsetSec + (placement.hasDrain ? wire.timelineSeconds - 1 : wire.timelineSeconds));
  }
  // The drain slot comes after every instance's regular seconds.
  return Math.max(1, regular + (parts.some((part) => part.placement.hasDrain) ? 1 : 0));
}

function moved(values: readonly number[], placement: TimelinePlacement, length: number): number[] {
  const out = new Array<number>(length).fill(0);
  const last = values.length - 1;
  values.forEach((value, slot) => {
    const to = placement.hasDrain && slot === last ? length - 1 : slot + placement.offsetSec;
    out[to] = (out[to] ?? 0) + value;
  });
  return out;
}

function movedTimeline(line: OperationTimeline, placement: TimelinePlacement, length: number): OperationTimeline {
  return {
    offered: moved(line.offered, placement, length),
    succeeded: moved(line.succeeded, placement, length),
    ended: moved(line.ended, placement, length),
  };
}

/**
 * One instance's metrics with its timelines moved to their place in timelines of `length` slots counted from the
 * earliest instance's second 0 (`startNs` 0: the instances' clocks are not comparable, their wall starts are).
 */
export function alignWire(wire: WorkerMetrics, placement: TimelinePlacement, length: number): WorkerMetrics {
  return {
    ...wire,
    startNs: 0,
    timelineSeconds: length,
    operations: wire.operations.map((op) => ({
      ...op,
      timeline: movedTimeline(op.timeline, placement, length),
      lastEndSec: op.lastEndSec === 0 ? 0 : op.lastEndSec + placement.offsetSec,
    })),
    timelines: wire.timelines.map((line) => ({
      ...line,
      admitted: moved(line.admitted, placement, length),
      throttled: moved(line.throttled, placement, length),
    })),
  };
}
