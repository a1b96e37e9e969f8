/**
 * Vitest globalSetup: the tests never run a stale build.
 *
 * The CLI tests run `dist/src/cli/main.js` and the wall-clock and virtual engines load their worker threads from
 * `dist/src/engine/`, so a run against an old `dist/` tests old code and can pass (or fail) for a change that is not
 * the one on disk. Before any test file starts, this runs the project build (`tsc -p tsconfig.build.json`, the same
 * command as `npm run build`) with the local TypeScript, and fails the whole run, with the compiler's errors, if the
 * build fails; in watch mode it builds again before every rerun. The build is incremental (`dist/.tsbuildinfo`): after
 * `npm run build` or an earlier run with no source changed it checks and writes nothing.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = join(import.meta.dirname, '..', '..');
const BUILD_ARGS = ['-p', 'tsconfig.build.json', '--pretty', 'false'] as const;

/** How a build ended: `ok`, or the compiler's output (tsc writes its errors to stdout). */
export interface BuildOutcome {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs the local `tsc` with `args` in `cwd` (no shell) and resolves with how it ended. */
export function runTsc(cwd: string, args: readonly string[]): Promise<BuildOutcome> {
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (error === null) resolve({ ok: true, output });
      else resolve({ ok: false, output: output === '' ? error.message : output });
    });
  });
}

/** What failed and why it matters (`consequence`), then the compiler's first `maxLines` lines. */
export function buildFailureText(outcome: BuildOutcome, consequence: string, maxLines = 40): string {
  const lines = outcome.output.split('\n');
  const shown = lines.slice(0, maxLines).join('\n');
  const more = lines.length > maxLines ? `\n… ${lines.length - maxLines} more line(s)` : '';
  return `the build (tsc ${BUILD_ARGS.join(' ')}) failed, ${consequence}. Fix the build (npm run build shows the same errors):\n${shown}${more}`;
}

/** The error that fails the run. */
export function buildFailure(outcome: BuildOutcome, maxLines = 40): Error {
  const error = new Error(
    buildFailureText(outcome, 'so no test ran: the CLI and worker tests run dist/ and would test stale code', maxLines),
  );
  // The compiler's output is the whole story; a stack through vitest's internals would only bury it.
  error.stack = `Error: ${error.message}`;
  return error;
}

export default async function setup(project: TestProject): Promise<void> {
  const outcome = await runTsc(ROOT, BUILD_ARGS);
  if (!outcome.ok) {
    // A throw here stops the run before any test file; set the exit code as well, as temp-check.ts does.
    process.exitCode = 1;
    throw buildFailure(outcome);
  }
  // Watch mode: every rerun (a source file changed) builds again first, or the rerun would test the first build. A
  // throw here would end watch mode, so a failed rebuild is printed instead: tsc still emits the JavaScript of code
  // that fails to type-check, so dist/ follows the sources.
  project.onTestsRerun(async () => {
    const rebuilt = await runTsc(ROOT, BUILD_ARGS);
    if (!rebuilt.ok) console.error(buildFailureText(rebuilt, 'the tests rerun on the JavaScript it emitted'));
  });
}
