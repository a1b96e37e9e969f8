/**
 * A scenario built from a few settings instead of a file — `kms-bench run --op Encrypt --rate 500 --quota 100`, the
 * autocannon-style quick run. The result is a plain scenario *document*: it goes through the same validation as any
 * file (so a bad value gets the schema's own message), and printed as YAML it is a file the user can keep.
 *
 * Each field the builder writes is recorded with the setting it came from ({@link QuickScenario.sources}), so a
 * problem found at `fleets[0].workload.arrivalRate` can be reported against `rate`, the thing the user typed.
 */
import { Document } from 'yaml';
import { bucketFor } from '../quota/classify.js';
import { OP_RULES } from './catalog.js';
import { renderPath } from './errors.js';
import type { PathSegment } from './errors.js';
import type { MixOperation, ScenarioDocument } from './types.js';

/** The settings of a quick run, as typed (numbers still text, so the schema judges them like a file's values). */
export interface QuickRunSettings {
  /** Operations, equal weights; default `Encrypt`. */
  readonly ops?: readonly string[];
  /** Open workload: requests per second. One of `rate` and `connections` is required (the caller checks). */
  readonly rate?: string;
  /** Closed workload: this many clients, each starting its next operation when the last one ends. */
  readonly connections?: string;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Requests per second admitted by each quota bucket the operations use, in `region`. */
  readonly quota?: string;
  /** A retry policy name (`full-jitter`, `none`, …), with its defaults. */
  readonly retry?: string;
  readonly client?: string;
  readonly enforcement?: string;
  readonly duration?: string;
  readonly seed?: number;
  readonly clock?: string;
}

/** A setting of {@link QuickRunSettings}, by name. */
export type QuickSetting = keyof QuickRunSettings;

/** The document, and which setting each field it holds came from (rendered paths, longest first). */
export interface QuickScenario {
  readonly document: ScenarioDocument;
  readonly sources: readonly { readonly path: string; readonly setting: QuickSetting }[];
}

/** The fleet's name, and the scenario's (which names the report directory). */
export const QUICK_NAME = 'quick';
/** A short run still spans several one-second quota windows. */
export const QUICK_DEFAULT_DURATION = '10s';
export const QUICK_DEFAULT_REGION = 'us-east-1';
export const QUICK_DEFAULT_SEED = 1;
export const QUICK_DEFAULT_OP = 'Encrypt';

/** The key each kind of operation uses: one symmetric key, plus a signing or an HMAC key only when an op needs one. */
const KEYS = {
  symmetric: { name: QUICK_NAME, keySpec: 'SYMMETRIC_DEFAULT' },
  signing: { name: `${QUICK_NAME}-sign`, keySpec: 'ECC_NIST_P256' },
  mac: { name: `${QUICK_NAME}-mac`, keySpec: 'HMAC_256' },
} as const;
type KeyKind = keyof typeof KEYS;

function keyKindOf(op: string): KeyKind | undefined {
  const rule = (OP_RULES as Readonly<Record<string, (typeof OP_RULES)[MixOperation] | undefined>>)[op];
  // An unknown operation gets the symmetric key, so the schema's one complaint is about the operation's name.
  if (rule === undefined) return 'symmetric';
  if (!rule.takesKey) return undefined;
  if (rule.families.includes('symmetric')) return 'symmetric';
  return rule.families.includes('hmac') ? 'mac' : 'signing';
}

/** The quota buckets an operation on its quick key is charged to (envelope operations: their data-key calls). */
function bucketsOf(op: string, kind: KeyKind | undefined): string[] {
  const keySpec = kind === undefined ? undefined : KEYS[kind].keySpec;
  const calls = op === 'envelopeEncrypt' ? ['GenerateDataKey'] : op === 'envelopeDecrypt' ? ['Decrypt'] : [op];
  try {
    return calls.map((call) => bucketFor(call, keySpec));
  } catch {
    return []; // an unknown operation: the schema names it
  }
}

/**
 * A number typed on the command line as a number, anything else as the text (`abc`), which the schema then refuses
 * with the same message a file's `arrivalRate: abc` gets.
 */
function typedValue(text: string): number | string {
  const trimmed = text.trim();
  return /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Builds the scenario document of a quick run. Nothing is checked here: validation is the loader's. */
export function buildQuickScenario(settings: QuickRunSettings): QuickScenario {
  const sources: { path: readonly PathSegment[]; setting: QuickSetting }[] = [];
  const from = (setting: QuickSetting, ...path: PathSegment[]): void => {
    sources.push({ path, setting });
  };
  const region = settings.region ?? QUICK_DEFAULT_REGION;
  const ops = [...new Set(settings.ops ?? [QUICK_DEFAULT_OP])];
  const kinds = ops.map(keyKindOf);
  const keyKinds = (Object.keys(KEYS) as KeyKind[]).filter((kind) => kinds.includes(kind));

  const quotas: Record<string, unknown> = { profile: 'kms-current' };
  if (settings.enforcement !== undefined) quotas['enforcement'] = settings.enforcement;
  if (settings.quota !== undefined) {
    const buckets = [...new Set(ops.flatMap((op, index) => bucketsOf(op, kinds[index])))];
    const limit = typedValue(settings.quota);
    quotas['overrides'] = { [region]: Object.fromEntries(buckets.map((bucket) => [bucket, limit])) };
    for (const bucket of buckets) from('quota', 'quotas', 'overrides', region, bucket);
  }
  from('region', 'quotas', 'overrides', region);
  from('enforcement', 'quotas', 'enforcement');

  const workload =
    settings.connections !== undefined
      ? { model: 'closed', clients: typedValue(settings.connections) }
      : { model: 'open', arrivalRate: typedValue(settings.rate ?? '') };
  const fleet: Record<string, unknown> = {
    name: QUICK_NAME,
    region,
    client: settings.client ?? 'direct',
    workload,
    mix: ops.map((op, index) => {
      const kind = kinds[index];
      return kind === undefined ? { op } : { op, key: KEYS[kind].name };
    }),
  };
  if (settings.retry !== undefined) fleet['retry'] = { policy: settings.retry };
  from('rate', 'fleets', 0, 'workload', 'arrivalRate');
  from('connections', 'fleets', 0, 'workload', 'clients');
  from('connections', 'fleets', 0, 'workload', 'thinkTime');
  from('region', 'fleets', 0, 'region');
  from('client', 'fleets', 0, 'client');
  from('ops', 'fleets', 0, 'mix');
  from('retry', 'fleets', 0, 'retry');
  keyKinds.forEach((_, index) => from('region', 'keys', index, 'region'));

  const document: ScenarioDocument = {
    name: QUICK_NAME,
    seed: settings.seed ?? QUICK_DEFAULT_SEED,
    duration: settings.duration ?? QUICK_DEFAULT_DURATION,
    ...(settings.clock === undefined ? {} : { clock: settings.clock }),
    quotas,
    keys: keyKinds.map((kind) => ({ name: KEYS[kind].name, region, keySpec: KEYS[kind].keySpec })),
    fleets: [fleet],
  };
  from('duration', 'duration');
  from('seed', 'seed');
  from('clock', 'clock');
  const rendered = sources.map(({ path, setting }) => ({ path: renderPath(path), setting }));
  return { document, sources: rendered.sort((a, b) => b.path.length - a.path.length) };
}

/** The setting a problem at `path` (rendered, `fleets[0].mix[1].op`) is about, if the quick-run builder wrote it. */
export function quickSettingAt(quick: QuickScenario, path: string): QuickSetting | undefined {
  return quick.sources.find((source) => path === source.path || path.startsWith(`${source.path}.`) || path.startsWith(`${source.path}[`))
    ?.setting;
}

/** The document as a YAML file, headed by a comment saying where it came from. */
export function quickScenarioYaml(document: ScenarioDocument, origin: string): string {
  const yaml = new Document(document);
  yaml.commentBefore = ` ${origin}\n Run it again with: kms-bench run <this file>`;
  return yaml.toString({ lineWidth: 0 });
}
