/**
 * The report directory, checked before a run starts: a run that cannot write its report loses its measurements, so
 * every reason it could not — an empty name, an existing file, a kernel filesystem, no permission, an earlier report
 * in the way — is found while nothing has been spent, and the run refused (`kms-bench run` exits 2).
 */
import { mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { CLI_OPTION_NAMES, type OptionNames } from './option-names.js';

/**
 * Paths no report belongs under. They are refused by name, before `mkdir` is called: Node's recursive `mkdir` under
 * /proc spins at 100% CPU forever (a kernel filesystem answers ENOENT for a directory it will never create), and
 * /sys and /dev hold devices and kernel settings, not reports.
 */
const KERNEL_FILESYSTEMS = ['/proc', '/sys', '/dev'] as const;

/** How the directory was chosen, which decides how an existing report is treated. */
export interface OutputDirOptions {
  /** `--out` named it: an existing report there is overwritten only with `--force`. Otherwise it is the default. */
  readonly explicit: boolean;
  /** `--force`: overwrite an existing report in an explicit `--out` directory. */
  readonly force: boolean;
  /** How messages name `out` and `force` (default the command line's flags). */
  readonly names?: Partial<Pick<OptionNames, 'out' | 'force'>>;
}

/** A reason the directory cannot hold the report; caught here and returned as {@link OutputDirCheck}. */
class OutputDirRefusal extends Error {}

const exists = async (path: string): Promise<boolean> => stat(path).then(
  () => true,
  () => false,
);

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EEXIST: 'a file is in the way',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENAMETOOLONG: 'the name is too long',
  };
  return (code === undefined ? undefined : reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** The path with symbolic links of its nearest existing ancestor resolved, so a link into /proc is caught too. */
async function realTarget(absolute: string): Promise<string> {
  let existing = absolute;
  while (!(await exists(existing)) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return join(await realpath(existing), absolute.slice(existing.length));
  } catch {
    return absolute;
  }
}

function kernelFilesystemOf(path: string): string | undefined {
  return KERNEL_FILESYSTEMS.find((root) => path === root || path.startsWith(`${root}${sep}`));
}

/** The default directory, or the first of `<dir>-2`, `<dir>-3`, … that does not exist yet: two runs never share one. */
async function freshDirectory(dir: string): Promise<string> {
  let candidate = dir;
  for (let n = 2; await exists(candidate); n++) candidate = `${dir}-${n}`;
  return candidate;
}

/** The report directory to use, or why there is none. */
export type OutputDirCheck = { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly message: string };

/**
 * Checks the report directory, creates it, and proves it writable by writing and removing a probe file.
 *
 * @param dir the directory from `--out`, or the default one.
 * @returns the directory to write the report to — `dir`, or for the default directory a fresh sibling when `dir`
 *   exists — or the reason it cannot hold the report: an empty name, a path under /proc, /sys or /dev, an existing
 *   file, a directory holding a result.json (explicit `--out` without `--force`), or an mkdir or write failure.
 */
export async function prepareOutputDir(dir: string, options: OutputDirOptions): Promise<OutputDirCheck> {
  try {
    return { ok: true, dir: await checkOutputDir(dir, options) };
  } catch (error) {
    if (error instanceof OutputDirRefusal) return { ok: false, message: error.message };
    throw error;
  }
}

async function checkOutputDir(dir: string, options: OutputDirOptions): Promise<string> {
  const names = { ...CLI_OPTION_NAMES, ...options.names };
  if (dir.trim() === '') throw new OutputDirRefusal(`${names.out} must name a directory, got an empty string`);
  const chosen = options.explicit ? dir : await freshDirectory(dir);
  const label = options.explicit ? `${names.out} ${chosen}` : `report directory ${chosen}`;
  const absolute = resolve(chosen);
  const kernel = kernelFilesystemOf(absolute) ?? kernelFilesystemOf(await realTarget(absolute));
  if (kernel !== undefined) {
    throw new OutputDirRefusal(`${label} is under ${kernel}, a kernel filesystem, not a place for reports; choose another directory`);
  }
  const existing = await stat(absolute).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) throw new OutputDirRefusal(`${label} is an existing file, not a directory`);
  if (existing !== undefined && !options.force && (await exists(join(absolute, 'result.json')))) {
    throw new OutputDirRefusal(`${label} already holds a report (result.json); pass ${names.force} to overwrite it, or choose another directory`);
  }
  try {
    await mkdir(absolute, { recursive: true });
  } catch (error) {
    throw new OutputDirRefusal(`cannot create ${label}: ${errnoText(error)}`);
  }
  const probe = join(absolute, `.kms-bench-write-probe-${process.pid}`);
  try {
    await writeFile(probe, '', { flag: 'wx' });
  } catch (error) {
    throw new OutputDirRefusal(`${label} is not writable: ${errnoText(error)}`);
  }
  await rm(probe, { force: true });
  return chosen;
}
