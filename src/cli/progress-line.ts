/**
 * The progress line `run` keeps on a terminal, after k6's and autocannon's live view: where the run is, and for the
 * latest second every worker has finished, goodput/s, throttle rate, retries; after the scheduled end, "draining"
 * with what is still in flight, rather than a clock stopped at the duration. On the virtual clock, how many simulated
 * seconds go by per wall second. No live p99: percentiles cannot be added up across workers from counts (the
 * report has them).
 */
import type { LiveFigures, RunProgress } from '../api/run-events.js';

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * The latest finished second's figures, named by its span as `--stream` names it by its start (`"second": 2` is the
 * second from 2 s to 3 s): `2–3s: 412 ok/s, throttled 18.2%, 37 retries`, or nothing yet; `, 12 denied` after it
 * when a policy refused calls in that second (a configuration error the operator should see as it happens).
 */
function secondFigures(live: LiveFigures | undefined): string {
  const latest = live?.latest;
  if (latest === undefined) return '';
  const attempts = latest.admitted + latest.throttled + latest.errors;
  const rate = attempts > 0 ? `${((100 * latest.throttled) / attempts).toFixed(1)}%` : 'n/a';
  const denied = latest.denied > 0 ? `, ${count(latest.denied)} denied` : '';
  return ` · ${latest.second}–${latest.second + 1}s: ${count(latest.succeeded)} ok/s, throttled ${rate}, ${count(latest.retries)} retries${denied}`;
}

/** One line, without the terminal's carriage return and erase. */
export function progressLine(p: RunProgress): string {
  if (p.clock === 'virtual') {
    const share = p.plannedSeconds > 0 ? Math.min(1, p.simulatedSeconds / p.plannedSeconds) : 0;
    const speed = p.simulatedPerWallSecond === undefined || p.simulatedPerWallSecond <= 0 ? '' : ` · ${count(p.simulatedPerWallSecond)} sim-s/s`;
    const live = p.live === undefined ? '' : `${p.total > 1 ? ` · [${p.live.variant}]` : ''}${secondFigures(p.live.figures)}`;
    return `simulated ${count(p.simulatedSeconds)}s of ${count(p.plannedSeconds)}s (${(share * 100).toFixed(0)}%)${speed} · ${p.done}/${p.total} simulations done${live}`;
  }
  const variant = p.variants > 1 ? `[${p.variantIndex + 1}/${p.variants} ${p.variant}] ` : '';
  const duration = (p.durationMs / 1000).toFixed(1);
  const where =
    p.elapsedMs >= p.durationMs
      ? `${duration}s done, draining${p.live === undefined ? '' : ` ${count(p.live.inFlight)} in flight`}`
      : `${(p.elapsedMs / 1000).toFixed(1)}s / ${duration}s`;
  return `${variant}${where} · ${count(p.completedOps)} ops done${secondFigures(p.live)}`;
}
