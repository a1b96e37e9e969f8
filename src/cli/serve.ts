/**
 * `kms-bench serve [scenario]`: a KMS endpoint with real quotas for any SDK or CLI (src/serve/). Bad input — a
 * scenario, a flag, a state directory it cannot use, a port it cannot bind — exits 2 before it listens. SIGINT or
 * SIGTERM stops accepting, lets requests in flight finish, writes the state and exits 0; signals within 2 s of the
 * first are copies of it (a process group, npm), one after that quits at once without writing the state (exit 3).
 */
import { startServeEndpoint, type ServeEndpoint } from '../serve/serve-endpoint.js';
import { bannerLines, secondLine } from '../serve/serve-log.js';
import { loadServeScenario, SERVE_DEFAULT_REGION } from '../serve/serve-scenario.js';
import { StateFileError } from '../serve/state-file.js';
import { runIdProblem } from '../quota/index.js';
import { EXIT, reportScenarioError } from './exit-codes.js';
import { QUIT_GRACE_MS, STOP_SIGNALS } from './signals.js';

/**
 * Default port. Not LocalStack's 4566, so both can run side by side (LocalStack's KMS is often already there in the
 * same staging setup); 4599 sits next to it and outside LocalStack's 4510–4559 external-service range.
 */
export const SERVE_DEFAULT_PORT = 4599;

/** `serve`'s arguments, as yargs parses them (options in commands.ts). */
export interface ServeArgs {
  readonly scenario?: string;
  readonly set: string[];
  readonly port: number;
  readonly host: string;
  readonly 'allow-remote': boolean;
  readonly state?: string;
  readonly region?: string;
  readonly 'quota-profile'?: string;
  readonly 'quota-store'?: string;
  readonly 'run-id'?: string;
  readonly seed?: number;
  readonly 'max-body-bytes'?: number;
  readonly quiet: boolean;
}

function fail(message: string): number {
  process.stderr.write(`kms-bench serve: ${message}\n`);
  return EXIT.invalidInput;
}

/** Starts the endpoint and serves until a signal; resolves with the exit code. */
export async function serveCli(args: ServeArgs): Promise<number> {
  let scenario;
  try {
    scenario = await loadServeScenario({
      ...(args.scenario === undefined ? {} : { file: args.scenario }),
      sets: args.set,
      ...(args.region === undefined ? {} : { region: args.region }),
      ...(args['quota-profile'] === undefined ? {} : { quotaProfile: args['quota-profile'] }),
      ...(args['quota-store'] === undefined ? {} : { quotaStore: args['quota-store'] }),
      ...(args.seed === undefined ? {} : { seed: args.seed }),
    });
  } catch (error) {
    return reportScenarioError(error);
  }
  const runIdIssue = args['run-id'] === undefined ? undefined : runIdProblem(args['run-id']);
  if (runIdIssue !== undefined) return fail(`--run-id ${runIdIssue}`);
  let endpoint: ServeEndpoint;
  try {
    endpoint = await startServeEndpoint({
      scenario,
      host: args.host,
      port: args.port,
      allowRemote: args['allow-remote'],
      ...(args.state === undefined ? {} : { stateDir: args.state }),
      defaultRegion: args.region ?? scenario.keys[0]?.region ?? SERVE_DEFAULT_REGION,
      ...(args['max-body-bytes'] === undefined ? {} : { maxBodyBytes: args['max-body-bytes'] }),
      ...(args['run-id'] === undefined ? {} : { runId: args['run-id'] }),
      onStateWriteError: (error) => process.stderr.write(`kms-bench serve: warning: state not written (retried on the next change): ${String(error)}\n`),
    });
  } catch (error) {
    if (error instanceof StateFileError) return fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return fail(`port ${args.port} on ${args.host} is in use; choose another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return fail(`cannot listen on --host ${args.host}: no such local interface`);
    if (code === 'EACCES') return fail(`not allowed to listen on port ${args.port} (ports below 1024 need privileges)`);
    if (error instanceof TypeError && /loopback/.test(error.message)) {
      return fail(`--host ${args.host} is not a loopback address; add --allow-remote to listen on it (signatures are not checked, so anyone who can reach it can use every key)`);
    }
    throw error;
  }
  for (const warning of endpoint.warnings) process.stderr.write(`kms-bench serve: warning: ${warning}\n`);
  let ticker: NodeJS.Timeout | undefined;
  // Handlers first, banner second: a supervisor may signal as soon as it reads the banner.
  const stopped = new Promise<number>((resolve) => {
    let firstSignalAt: number | undefined;
    const onSignal = (signal: string): void => {
      const now = Date.now();
      if (firstSignalAt !== undefined) {
        if (now - firstSignalAt < QUIT_GRACE_MS) return;
        process.stderr.write(`kms-bench serve: ${signal} again: quitting at once; state not written\n`);
        process.exit(EXIT.incomplete);
      }
      firstSignalAt = now;
      process.stderr.write(`kms-bench serve: ${signal}: draining ${endpoint.server.inFlight} request(s) in flight, then writing state\n`);
      if (ticker !== undefined) clearInterval(ticker);
      endpoint.shutdown().then(
        () => {
          process.stderr.write('kms-bench serve: stopped\n');
          resolve(EXIT.ok);
        },
        (error: unknown) => {
          process.stderr.write(`kms-bench serve: could not write state on exit: ${String(error)}\n`);
          resolve(EXIT.incomplete);
        },
      );
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
  process.stdout.write(`${bannerLines(endpoint, scenario, { remote: args['allow-remote'] }).join('\n')}\n`);
  if (!args.quiet && process.stdout.isTTY === true) {
    ticker = setInterval(() => {
      const line = secondLine(new Date(), endpoint.metrics.takeSecond());
      if (line !== undefined) process.stdout.write(`${line}\n`);
    }, 1000);
  }
  return stopped;
}
