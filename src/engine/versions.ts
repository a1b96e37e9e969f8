/**
 * Versions that change results, recorded in every result: the tool, Node.js, the SDK client and the package that holds
 * the SDK's retry strategy (`@smithy/core`; older SDKs shipped it as `@smithy/util-retry`, recorded when present).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function packageJsonAbove(start: string, name: string): { version?: string } | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === name) return parsed;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The installed version of a package, or undefined when it is not installed. */
export function installedVersion(name: string): string | undefined {
  try {
    return packageJsonAbove(dirname(require.resolve(name)), name)?.version;
  } catch {
    return undefined;
  }
}

export function toolVersion(): string {
  return packageJsonAbove(dirname(fileURLToPath(import.meta.url)), 'kms-bench')?.version ?? '0.0.0';
}

export interface VersionInfo {
  readonly tool: string;
  readonly node: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

export function versionInfo(): VersionInfo {
  const dependencies: Record<string, string> = {};
  for (const name of ['@aws-sdk/client-kms', '@smithy/core', '@smithy/util-retry', '@aws-crypto/client-node', 'piscina']) {
    const version = installedVersion(name);
    if (version !== undefined) dependencies[name] = version;
  }
  return { tool: toolVersion(), node: process.version, dependencies };
}
