/**
 * The public barrel exports what its own signatures use: the error `new KmsModel()` throws, the quota board a model
 * option takes, and the row and figure types the run options hand to callbacks. Compiled by `tsc` with the tests, so
 * a missing type export fails the type check as well as this run.
 */
import { describe, expect, test } from 'vitest';
import {
  KmsModel,
  QuotaBoard,
  QuotaOptionsError,
  type KmsModelOptions,
  type LiveFigures,
  type OptionNames,
  type RunProgress,
  type RunScenarioOptions,
  type StreamRow,
} from '../src/index.js';

describe('the public API exports the types of its own signatures', () => {
  test('bad quota options throw the exported QuotaOptionsError', () => {
    expect(() => new KmsModel({ quotas: { profile: 'no-such-profile' as 'kms-current' } })).toThrow(QuotaOptionsError);
  });

  test('a QuotaBoard built from the barrel is what KmsModelOptions.quotaBoard takes, and models share it', () => {
    const board = new QuotaBoard({ profile: 'kms-current' });
    const options: KmsModelOptions = { quotaBoard: board, keys: [{ region: 'us-east-1', aliases: ['alias/app'] }] };
    const model = new KmsModel(options);
    model.callSync('Encrypt', { KeyId: 'alias/app', Plaintext: Buffer.from('x') }, { region: 'us-east-1' });
    expect(board.snapshot().map((slot) => [slot.bucket, slot.admitted])).toEqual([['symmetric', 1]]);
  });

  test('callback payloads are nameable types', () => {
    const rows: StreamRow[] = [];
    const figures: LiveFigures[] = [];
    const options: Pick<RunScenarioOptions, 'onSeconds'> = { onSeconds: (batch) => rows.push(...batch) };
    const onProgress = (progress: RunProgress): void => {
      if (progress.clock === 'wall' && progress.live !== undefined) figures.push(progress.live);
    };
    const names: Partial<OptionNames> = { maxRequests: 'budget.maxRequests' };
    expect([typeof options.onSeconds, typeof onProgress, names.maxRequests]).toEqual(['function', 'function', 'budget.maxRequests']);
  });
});
