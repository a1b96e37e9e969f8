/**
 * The `--state DIR` file: a model snapshot (kms/state-snapshot.ts) in a versioned JSON envelope, written atomically
 * (a temporary file in the same directory, flushed, then renamed over the old one, so a crash leaves either the old
 * or the new state, never half of one), readable by its owner only (mode 0600, directory 0700). A file of another
 * format, an unknown version or a damaged body is refused with what is wrong, never half-loaded or overwritten.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { KEY_STATES } from '../kms/keystore.js';
import { compileKeyPolicy } from '../kms/policy-compile.js';
import type { ModelSnapshot } from '../kms/state-snapshot.js';

/** The file's name inside the state directory. */
export const STATE_FILE_NAME = 'kms-state.json';
/** What the file says it is. */
export const STATE_FORMAT = 'kms-bench-state';
/** The format version this build writes and reads; a change of layout bumps it. */
export const STATE_VERSION = 1;

/** The state directory cannot be used: a clear message for the user (exit 2 at start). */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

const ms = z.number().int().nonnegative();
const keySnapshotSchema = z.object({
  region: z.string().min(1),
  accountId: z.string().regex(/^\d{12}$/),
  keyId: z.string().min(1),
  keySpec: z.string().min(1),
  keyUsage: z.enum(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC']),
  description: z.string(),
  state: z.enum(KEY_STATES as unknown as [string, ...string[]]),
  multiRegion: z.boolean(),
  keyManager: z.enum(['CUSTOMER', 'AWS']),
  awsOwned: z.boolean(),
  policy: z.string(),
  tags: z.record(z.string(), z.string()),
  creationDateMs: ms,
  deletionDateMs: ms.optional(),
  pendingWindowDays: z.number().int().positive().optional(),
  rotation: z.object({ enabled: z.boolean(), periodDays: z.number().int().positive(), nextRotationMs: ms.optional(), onDemandMs: z.array(ms) }),
  aliases: z.array(z.object({ name: z.string().startsWith('alias/'), creationDateMs: ms, lastUpdatedDateMs: ms })),
  material: z.union([
    z.object({ secrets: z.array(z.base64()).min(1) }),
    z.object({ privateKeyPkcs8: z.base64().min(1) }),
  ]),
});
const stateSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  savedAt: z.string(),
  model: z.object({
    accountId: z.string().regex(/^\d{12}$/),
    seed: z.number(),
    keyIdsIssued: z.number().int().nonnegative(),
    keys: z.array(keySnapshotSchema),
  }),
});

/** Reads the state file of `dir`: the snapshot, or `undefined` when there is none yet. */
export function readStateFile(dir: string): ModelSnapshot | undefined {
  const path = join(dir, STATE_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`${path} is not valid JSON (${(error as Error).message}); it is damaged — restore it or remove it to start empty`);
  }
  const envelope = document as { format?: unknown; version?: unknown } | null;
  if (envelope === null || typeof envelope !== 'object' || envelope.format !== STATE_FORMAT) {
    throw new StateFileError(`${path} is not a kms-bench state file (format ${JSON.stringify(envelope?.format)}, expected "${STATE_FORMAT}")`);
  }
  if (envelope.version !== STATE_VERSION) {
    throw new StateFileError(
      `${path} has state format version ${JSON.stringify(envelope.version)}; this kms-bench reads version ${STATE_VERSION} only`,
    );
  }
  const parsed = stateSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new StateFileError(`${path} is damaged:\n  ${problems.join('\n  ')}`);
  }
  // The model trusts a restored policy as already checked; a damaged one would otherwise fail only when evaluated.
  const policyProblems = parsed.data.model.keys.flatMap((key, i) => {
    try {
      compileKeyPolicy(key.policy);
      return [];
    } catch (error) {
      return [`model.keys[${i}].policy: ${(error as Error).message}`];
    }
  });
  if (policyProblems.length > 0) throw new StateFileError(`${path} is damaged:\n  ${policyProblems.slice(0, 10).join('\n  ')}`);
  return parsed.data.model as ModelSnapshot;
}

/** Writes the snapshot atomically, mode 0600. */
export function writeStateFile(dir: string, snapshot: ModelSnapshot, now: Date = new Date()): void {
  const path = join(dir, STATE_FILE_NAME);
  const temporary = join(dir, `.${STATE_FILE_NAME}.${process.pid}.tmp`);
  const body = JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, savedAt: now.toISOString(), model: snapshot });
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  // The rename itself is durable once the directory is flushed.
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
