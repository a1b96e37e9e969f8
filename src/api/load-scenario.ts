/**
 * Loading a scenario from a library: a file or text in, a validated {@link Scenario} out, or one {@link ScenarioError}
 * listing every problem with its path (and its line, when the text has one). `kms-bench validate` and `kms-bench run`
 * load through here too.
 */
import { fileURLToPath } from 'node:url';
import type { ClockKind, Scenario } from '../scenario/types.js';

/** Scenario text given directly instead of a file. */
export interface ScenarioText {
  /** YAML or JSON. */
  readonly text: string;
  /**
   * A name for messages, and the format: a name ending `.json` is read as JSON, `.yaml`/`.yml` as YAML; any other
   * (and the default, `(text)`) is JSON when the text starts with `{` and parses as JSON, YAML otherwise.
   */
  readonly name?: string;
}

/**
 * What to load: the path of a YAML or JSON file (a string or a `file:` URL), or the text itself.
 */
export type ScenarioSource = string | URL | ScenarioText;

/**
 * Changes applied to the document before it is validated, so a change that makes the scenario invalid (a `clock: wall`
 * with `model.crypto: off`, a negative duration) is reported like a mistake in the file, with its path.
 */
export interface LoadScenarioOptions {
  /** `path=value` overrides, e.g. `fleets.web.workload.arrivalRate=800` (the command line's `--set`), in order. */
  readonly overrides?: readonly string[];
  /** The run's duration with its unit, e.g. `30s`, replacing the scenario's `duration`. */
  readonly duration?: string;
  /** The seed of every random choice, replacing the scenario's `seed`. */
  readonly seed?: number;
  /** `virtual` runs the scenario as a deterministic discrete-event simulation; `wall` in real time. */
  readonly clock?: ClockKind;
}

/** The overrides of `options` as `path=value` strings, the typed ones last so they win over `overrides`. */
function overridesOf(options: LoadScenarioOptions): string[] {
  const sets = [...(options.overrides ?? [])];
  if (options.duration !== undefined) sets.push(`duration=${options.duration}`);
  if (options.seed !== undefined) sets.push(`seed=${options.seed}`);
  if (options.clock !== undefined) sets.push(`clock=${options.clock}`);
  return sets;
}

/**
 * Reads and validates a scenario.
 *
 * @param source a file path or `file:` URL, or `{ text, name? }`.
 * @returns the scenario with every default filled in, ready for {@link runScenario}.
 * @throws ScenarioError with every problem at once: a file that cannot be read or is not a scenario (too large, not
 *   UTF-8 text), a syntax error, a bad override, and every invalid field of the document and of each matrix variant.
 */
export async function loadScenario(source: ScenarioSource, options: LoadScenarioOptions = {}): Promise<Scenario> {
  // The loader brings the schema (zod) and the YAML parser: loaded when a scenario is, not by `import 'kms-bench'`.
  const { loadScenarioFile, parseScenarioText } = await import('../scenario/loader.js');
  const sets = overridesOf(options);
  if (typeof source === 'string') return loadScenarioFile(source, { sets });
  if (source instanceof URL) return loadScenarioFile(fileURLToPath(source), { sets });
  return parseScenarioText(source.text, source.name ?? '(text)', { sets });
}
