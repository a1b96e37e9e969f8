/**
 * `kms-bench plan <scenario> --find max-rate|quota|cache`: the command line over the planner (src/plan/). It prints
 * the answer first, in one sentence, then where the files are; a line per search step on stderr (and, on a terminal,
 * the live progress of the step's simulations); and turns the outcome into an exit code: 0 an answer, 1 no point met
 * the objectives (the closest is printed), 2 a bad question, 3 a harness failure or an interrupted search (what was
 * probed is written, marked incomplete).
 */
import { join } from 'node:path';
import { UsageError, EXIT, reportScenarioError } from './exit-codes.js';
import { installInterruptHandler, settleInterrupts } from './signals.js';
import { progressLine } from './progress-line.js';
import { PlanInputError } from '../plan/plan-errors.js';
import { runPlan, type PlanOptions } from '../plan/run-plan.js';
import { headlineOf } from '../plan/probe-table.js';
import { planToJson, writePlan } from '../plan/write-plan.js';
import type { PlanGoal, PlanResult } from '../plan/plan-types.js';

/** `plan`'s arguments as yargs parses them (options in commands.ts). */
export interface PlanArgs {
  readonly scenario: string;
  readonly find: PlanGoal;
  readonly fleet?: string;
  readonly bucket?: string;
  readonly growth?: string;
  readonly objective: string[];
  readonly tolerance?: string;
  readonly repeat?: number;
  readonly workers?: number;
  /** `--points-per-step N` and `--oversubscribe`, when the command's options declare them. */
  readonly pointsPerStep?: number;
  readonly oversubscribe?: boolean;
  readonly set: string[];
  readonly duration?: string;
  readonly seed?: number;
  readonly out?: string;
  readonly json: boolean;
}

/** `2%` or `0.02` → 0.02; in (0, 0.5]. */
export function parseTolerance(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  const value = match === null ? NaN : Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(value > 0 && value <= 0.5)) throw new UsageError(`--tolerance ${JSON.stringify(text)}: expected a fraction above 0 and at most 50%, e.g. 2% or 0.02`);
  return value;
}

/** `3x`, `3×` or `3` → 3; above 0 and at most 1000. */
export function parseGrowth(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*[x×]?\s*$/i.exec(text);
  const value = match === null ? NaN : Number(match[1]);
  if (!(value > 0 && value <= 1000)) throw new UsageError(`--growth ${JSON.stringify(text)}: expected a factor above 0 and at most 1000, e.g. 3x or 1.5`);
  return value;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** The exit code of a finished plan. */
export function planExitCode(plan: Pick<PlanResult, 'outcome' | 'state'>): number {
  if (plan.state !== 'completed' || plan.outcome === 'stopped') return EXIT.incomplete;
  return plan.outcome === 'found' ? EXIT.ok : EXIT.failedCheck;
}

/** Runs the command and sets the exit code. */
export async function planCli(args: PlanArgs): Promise<void> {
  process.exitCode = await plan(args);
  settleInterrupts(process.exitCode);
}

async function plan(args: PlanArgs): Promise<number> {
  const tty = process.stderr.isTTY === true && !args.json;
  const abort = new AbortController();
  let options: PlanOptions;
  try {
    options = {
      goal: args.find,
      ...(args.fleet === undefined ? {} : { fleet: args.fleet }),
      ...(args.bucket === undefined ? {} : { bucket: args.bucket }),
      ...(args.growth === undefined ? {} : { growth: parseGrowth(args.growth) }),
      objectives: args.objective,
      ...(args.tolerance === undefined ? {} : { tolerance: parseTolerance(args.tolerance) }),
      ...(args.repeat === undefined ? {} : { repeat: args.repeat }),
      ...(args.workers === undefined ? {} : { workers: args.workers }),
      ...(args.pointsPerStep === undefined ? {} : { pointsPerStep: args.pointsPerStep }),
      ...(args.oversubscribe === true ? { oversubscribe: true } : {}),
      overrides: args.set,
      ...(args.duration === undefined ? {} : { duration: args.duration }),
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      signal: abort.signal,
      onStep: (step) => {
        if (step.step === 1) installInterruptHandler({ onStop: () => abort.abort() });
        const values = step.values.length > 4 ? `${step.values.slice(0, 4).join(' / ')} / …` : step.values.join(' / ');
        process.stderr.write(`${tty ? '\r\x1b[2K' : ''}kms-bench plan: step ${step.step} (${step.where}): probing ${values} × ${step.seeds} seed(s)\n`);
      },
      ...(tty ? { onProgress: (p) => process.stderr.write(`\r\x1b[2K  ${progressLine(p)}`) } : {}),
    };
  } catch (error) {
    process.stderr.write(`kms-bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.invalidInput;
  }
  let result: PlanResult;
  try {
    result = await runPlan(args.scenario, options);
  } catch (error) {
    if (error instanceof PlanInputError) {
      for (const line of error.problems) process.stderr.write(`kms-bench plan: ${line}\n`);
      return EXIT.invalidInput;
    }
    return reportScenarioError(error);
  } finally {
    if (tty) process.stderr.write('\r\x1b[2K');
  }
  const dir = args.out ?? join('reports', `${result.scenario.name}-plan-${timestamp(new Date())}`);
  const files = await writePlan(result, dir);
  if (args.json) process.stdout.write(planToJson(result));
  else process.stdout.write(`${headlineOf(result)}\n\nplan:\n  ${files.json}\n  ${files.markdown}\n  ${files.html}\n`);
  return planExitCode(result);
}
