/**
 * The scenario a `kms-bench serve` endpoint runs from: a scenario file (its fleets are ignored, and a file written only
 * for serve may leave out `fleets` and `duration`), or, without a file, one symmetric key `default`
 * (`alias/kms-bench`) in `--region`. Either way `--quota-profile` and `--set` apply, and the result is validated
 * like any scenario: every problem at once with its path, before the endpoint starts.
 */
import { isRecord } from '../base/records.js';
import { isKeyIdFormat } from '../kms/ciphertext-blob.js';
import { ScenarioError, type PathSegment } from '../scenario/errors.js';
import { readScenarioText } from '../scenario/loader.js';
import { applyOverridesWithTargets } from '../scenario/overrides.js';
import { decodeScenarioText, readScenarioBytes } from '../scenario/scenario-bytes.js';
import type { Scenario } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';

/** The key a flags-only endpoint holds, and its alias. */
export const SERVE_DEFAULT_KEY = 'default';
export const SERVE_DEFAULT_ALIAS = 'alias/kms-bench';
/** Region of the default key and of requests that name none. */
export const SERVE_DEFAULT_REGION = 'us-east-1';

/** Where the scenario comes from, and the flags that change it. */
export interface ServeScenarioSettings {
  readonly file?: string;
  readonly sets?: readonly string[];
  /** The default key's region (flags only). */
  readonly region?: string;
  /** `quotas.profile`, e.g. `kms-2019`. */
  readonly quotaProfile?: string;
  /** `quotas.store`, e.g. `redis://10.0.0.5:6379/0?lease=50`. */
  readonly quotaStore?: string;
  readonly seed?: number;
}

// `run` needs a fleet and a duration; serve needs neither, so a serve-only file gets these placeholders (never used).
const PLACEHOLDER_FLEET = { name: 'serve', region: SERVE_DEFAULT_REGION, workload: { model: 'open', arrivalRate: 0 }, mix: [{ op: 'GenerateRandom' }] };
const PLACEHOLDER_DURATION = '1s';

function flagsDocument(region: string): Record<string, unknown> {
  return {
    name: 'serve',
    keys: [{ name: SERVE_DEFAULT_KEY, region, aliases: [SERVE_DEFAULT_ALIAS] }],
  };
}

/**
 * Loads, overrides and validates the endpoint's scenario.
 * @throws ScenarioError with every problem (exit 2).
 */
export async function loadServeScenario(settings: ServeScenarioSettings): Promise<Scenario> {
  const sourceName = settings.file ?? '(serve flags)';
  let document: unknown;
  let locate: ((segments: readonly PathSegment[]) => { line: number; column: number } | undefined) | undefined;
  if (settings.file === undefined) {
    document = flagsDocument(settings.region ?? SERVE_DEFAULT_REGION);
  } else {
    const source = readScenarioText(decodeScenarioText(await readScenarioBytes(settings.file), settings.file), settings.file);
    document = source.document;
    locate = source.locate;
  }
  if (isRecord(document)) {
    document = { ...document };
    const record = document as Record<string, unknown>;
    if (!('fleets' in record)) record['fleets'] = [{ ...PLACEHOLDER_FLEET }];
    if (!('duration' in record)) record['duration'] = PLACEHOLDER_DURATION;
  }
  const sets = [...(settings.sets ?? [])];
  if (settings.quotaProfile !== undefined) sets.push(`quotas.profile=${settings.quotaProfile}`);
  if (settings.quotaStore !== undefined) sets.push(`quotas.store=${settings.quotaStore}`);
  if (settings.seed !== undefined) sets.push(`seed=${settings.seed}`);
  let overridden: readonly (readonly PathSegment[])[] = [];
  if (sets.length > 0) {
    try {
      const applied = applyOverridesWithTargets(document, sets);
      document = applied.document;
      overridden = applied.targets;
    } catch (error) {
      if (error instanceof ScenarioError) throw new ScenarioError(error.problems, sourceName);
      throw error;
    }
  }
  const scenario = validateScenario(document, { sourceName, ...(locate === undefined ? {} : { locate }), overridden });
  checkFaultKeys(scenario, sourceName);
  return scenario;
}

/** A fault rule's `keys` entry is a key id, ARN or alias, or the name of one of the scenario's keys. */
function checkFaultKeys(scenario: Scenario, sourceName: string): void {
  const problems = faultKeyProblems(scenario.faults, scenario.keys.map((key) => key.name));
  if (problems.length > 0) throw new ScenarioError(problems, sourceName);
}

/**
 * Every fault rule `keys` entry that is none of a key id, a key ARN, an alias name or one of `keyNames` (the
 * scenario's keys), with its path: such an entry would match no request, silently. Also run on `PUT /admin/faults`.
 */
export function faultKeyProblems(
  rules: readonly { readonly keys?: readonly string[] | undefined }[],
  keyNames: readonly string[],
): { readonly path: string; readonly message: string }[] {
  const names = new Set(keyNames);
  return rules.flatMap((rule, i) =>
    (rule.keys ?? []).flatMap((entry, j) =>
      entry.startsWith('arn:') || entry.startsWith('alias/') || isKeyIdFormat(entry) || names.has(entry)
        ? []
        : [{
            path: `faults[${i}].keys[${j}]`,
            message: `${JSON.stringify(entry)} is not a key of the scenario (${[...names].join(', ') || 'none'}), a key id, a key ARN or an alias name`,
          }],
    ),
  );
}
