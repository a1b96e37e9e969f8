/**
 * The Piscina worker entry of the virtual-clock engine: one task is one simulation, run to completion in this thread.
 * Piscina runs one task per thread at a time (`concurrentTasksPerWorker: 1`), which the simulated timers rely on.
 */
import { simulateVariant, type SimulationResult, type SimulationTask } from './simulate-variant.js';

export default function runSimulationTask(task: SimulationTask): Promise<SimulationResult> {
  return simulateVariant(task);
}
