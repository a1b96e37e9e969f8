/**
 * A start that fails after the state directory is locked reports the real cause as a `StateFileError` and releases
 * the directory: an fs error writing the first state file (ENOSPC, EACCES) is not mistaken for a port problem.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { startServeEndpoint } from '../src/serve/serve-endpoint.js';
import { loadServeScenario } from '../src/serve/serve-scenario.js';
import { StateFileError } from '../src/serve/state-file.js';
import { STATE_LOCK_NAME } from '../src/serve/state-keeper.js';
import { tempDirs } from './support/temp-dirs.js';

vi.mock('../src/serve/state-file.js', async (original) => ({
  ...(await original<Record<string, unknown>>()),
  writeStateFile: () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  },
}));

const tempDir = tempDirs('kms-bench-serve-start-');

describe('serve start-up failures', () => {
  test('a first state write that fails is a StateFileError naming the cause, and the lock is released', async () => {
    const dir = join(await tempDir(), 'state');
    const scenario = await loadServeScenario({ sets: [] });
    const started = startServeEndpoint({ scenario, host: '127.0.0.1', port: 0, allowRemote: false, stateDir: dir });
    await expect(started).rejects.toBeInstanceOf(StateFileError);
    await expect(started).rejects.toThrow(/cannot write the state file in .*ENOSPC/);
    expect(existsSync(join(dir, STATE_LOCK_NAME))).toBe(false);
  });
});
