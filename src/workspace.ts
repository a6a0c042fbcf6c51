import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from './errors.js';

/** Whether `path` is strictly below the folder `root` (a name like "..x" is below; "../x" is not). */
export function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

/** The desired-state file's bytes, refusing anything that resolves outside the workspace. */
export async function readWorkspaceFile(file: string, filePath: string, workspace: string): Promise<Uint8Array> {
  const hint = 'Commit it, or set the "file" input to its path relative to the repository root (and run actions/checkout before this step).';
  let stats;
  try {
    stats = await lstat(filePath);
  } catch {
    throw new UserError(`${file} was not found in the workspace (${filePath}). ${hint}`);
  }
  if (stats.isDirectory()) throw new UserError(`${file} is a directory, not a file. ${hint}`);
  const real = await realpath(filePath);
  const root = await realpath(workspace);
  if (!isInside(root, real)) {
    throw new UserError(`${file} is a link to ${real}, outside the workspace; the desired-state file must live in the repository.`);
  }
  return readFile(real);
}

/**
 * A file for a next step (upload-artifact, create-pull-request) in RUNNER_TEMP, named after the
 * desired-state file's whole path so that a matrix over accounts/a.json and other/a.json keeps
 * both. Undefined outside a runner (no RUNNER_TEMP).
 */
export async function writeRunnerTempFile(
  runnerTemp: string | undefined,
  repoPath: string,
  kind: 'drift' | 'previous',
  content: string,
): Promise<string | undefined> {
  if (!runnerTemp) return undefined;
  await mkdir(runnerTemp, { recursive: true });
  const path = join(runnerTemp, `${repoPath.replace(/\.json$/i, '').replace(/[^\w.-]+/g, '-')}.${kind}.json`);
  await writeFile(path, content);
  return path;
}
