/**
 * Running a scenario from a library: the path `kms-bench run` takes — plan every variant, check the run fits its
 * budgets and the report directory can hold the report, run the engine on the scenario's clock, build the result,
 * write the report — without the terminal. The command line is a thin user of {@link runScenario}: it adds argument
 * handling, the progress line, Ctrl-C and exit codes.
 */
import type { RunResult } from '../report/result-types.js';
import type { Scenario } from '../scenario/types.js';
import type { RunScenarioOptions } from './run-options.js';

export type { ReportOptions, RunBudget, RunScenarioOptions } from './run-options.js';

/**
 * Runs a scenario: every matrix variant, on the scenario's clock (`wall`: real time across worker threads;
 * `virtual`: a seeded discrete-event simulation), and returns the result `result.json` holds.
 *
 * A run that cannot finish is refused before any work: past a budget, with more threads than the machine allows, with
 * `repeat` on the wall clock, or when the report directory cannot hold the report. A run that fails while it works
 * (a worker thread crashed) or is aborted is not an error: the result says `state: 'incomplete'` and why.
 *
 * @param scenario a scenario from {@link loadScenario}.
 * @returns the run's result: per variant, fleet and operation the counts, goodput, throttles, retries, latency
 *   percentiles, quota usage and cost; the thresholds' outcomes; and the environment it ran in.
 * @throws RunRefusedError when the run is refused before it starts; each refusal names the setting that lifts it.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): Promise<RunResult> {
  // The engine brings Piscina, the SDK clients and the report writer: loaded by a run, not by `import 'kms-bench'`.
  const { runPipeline } = await import('./run-pipeline.js');
  return runPipeline(scenario, options);
}
