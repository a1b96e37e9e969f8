/**
 * The per-second timelines one fleet's recorders share (recorder.ts): a line of admitted and throttled attempts per
 * quota bucket, and the fleet's errors and retries per second. Quotas are per bucket, not per operation, so these are
 * kept per fleet and every operation of the fleet counts into them; the per-operation lines live with each
 * operation's recorder (operation-recorder.ts).
 */
import { NS_PER_SEC } from '../base/time.js';
import { SecondCounts } from './second-counts.js';

/** Per-second admitted and throttled attempt counts of one fleet on one quota bucket. */
export class BucketLine {
  readonly admitted: SecondCounts;
  readonly throttled: SecondCounts;

  constructor(seconds: number) {
    this.admitted = new SecondCounts(seconds);
    this.throttled = new SecondCounts(seconds);
  }
}

/** What the handles of one fleet share: its bucket lines and the timeline geometry. */
export class FleetLines {
  /** The fleet's bucket lines by bucket name, in the order the buckets were first seen. */
  readonly lines = new Map<string, BucketLine>();
  /** Clock time (ns) of second 0 of the timelines. */
  readonly startNs: number;
  /** Timeline length in slots (the planned seconds and the drain slot). */
  readonly seconds: number;
  /** Per second, attempts that ended in an error other than a throttle, and retries (for the live view only). */
  readonly errors: SecondCounts;
  readonly retries: SecondCounts;
  /** Per second, operations a policy refused (counted in the second they finished). */
  readonly denied: SecondCounts;

  constructor(startNs: number, seconds: number) {
    this.startNs = startNs;
    this.seconds = seconds;
    this.errors = new SecondCounts(seconds);
    this.retries = new SecondCounts(seconds);
    this.denied = new SecondCounts(seconds);
  }

  /** The line of `bucket`, created the first time the fleet draws from it. */
  line(bucket: string): BucketLine {
    let line = this.lines.get(bucket);
    if (line === undefined) {
      line = new BucketLine(this.seconds);
      this.lines.set(bucket, line);
    }
    return line;
  }

  /** The timeline slot of a time: before the start → 0, at or after the end → the last slot. */
  slot(atNs: number): number {
    const second = Math.floor((atNs - this.startNs) / NS_PER_SEC);
    if (!(second > 0)) return 0;
    return second >= this.seconds ? this.seconds - 1 : second;
  }
}
