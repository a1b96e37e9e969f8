/** Reading a `result.json` back (for `compare` and for re-rendering reports), with clear errors for what is not one. */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseResultJson, RESULT_SCHEMA, RESULT_SCHEMA_VERSION } from './result.js';
import type { RunResult } from './result.js';
import { isRecord } from '../base/records.js';

/** A file that cannot be read as a result this version of kms-bench understands. */
export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
}


/**
 * Checks that a parsed document is a kms-bench result of the schema version this build reads.
 * @throws ResultFileError naming what is wrong.
 */
export function checkResultDocument(document: unknown, source: string): RunResult {
  if (!isRecord(document) || document['schema'] !== RESULT_SCHEMA) {
    throw new ResultFileError(`${source}: not a kms-bench result (expected "schema": "${RESULT_SCHEMA}")`);
  }
  const version = document['schemaVersion'];
  if (version !== RESULT_SCHEMA_VERSION) {
    throw new ResultFileError(
      `${source}: result schema version ${String(version)}; this kms-bench reads version ${RESULT_SCHEMA_VERSION}`,
    );
  }
  const scenario = document['scenario'];
  if (!isRecord(scenario) || typeof scenario['hash'] !== 'string' || typeof scenario['name'] !== 'string') {
    throw new ResultFileError(`${source}: result has no scenario name and hash`);
  }
  if (!Array.isArray(document['variants'])) throw new ResultFileError(`${source}: result has no variants`);
  return document as unknown as RunResult;
}

/**
 * Reads a result from `result.json` or from a report directory holding one.
 * @throws ResultFileError for a missing, unreadable or foreign file.
 */
export async function readResultFile(path: string): Promise<RunResult> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'result.json');
  } catch {
    throw new ResultFileError(`${path}: no such file or directory`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ResultFileError(`${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let document: unknown;
  try {
    document = parseResultJson(text);
  } catch (error) {
    throw new ResultFileError(`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkResultDocument(document, file);
}
