import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // First the build, so no test runs a stale dist/ (the CLI and the worker threads run built code); a failed build
    // fails the run before any test. Then the run gets a temp directory of its own (TMPDIR) and fails if any test leaves
    // something in it. redis-server is installed once here, not by each file that starts one (their apt-gets would race).
    globalSetup: ['test/support/build-once.ts', 'test/support/redis-install.ts', 'test/support/temp-check.ts'],
    // Worker-thread and Piscina tests share two cores; keep files from starving each other.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
