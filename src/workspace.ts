import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { MAX_FILE_BYTES } from './desired-state.js';
import { UserError } from './errors.js';

/** The start of a file (at most MAX_FILE_BYTES + 1 bytes, enough to tell it is too large) and its size. */
export interface FileStart {
  bytes: Uint8Array;
  size: number;
}

/**
 * A regular file's first `limit + 1` bytes and its size. Anything else is refused with what it is:
 * reading a FIFO would wait forever for a writer, a device could be endless. Opened without
 * blocking and checked on the open handle, so what is read is what was checked.
 */
export async function readRegularFile(path: string, label: string, limit = MAX_FILE_BYTES): Promise<FileStart> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new UserError(`${label} is a directory, not a file.`);
    if (!stats.isFile()) {
      const kind = stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isSocket() ? 'a socket' : 'a device';
      throw new UserError(`${label} is ${kind}, not a regular file: the desired-state file must be a plain file in the repository.`);
    }
    const bytes = Buffer.alloc(Math.min(stats.size, limit + 1));
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { bytes: bytes.subarray(0, read), size: stats.size };
  } finally {
    await handle.close();
  }
}

/** Whether `path` is strictly below the folder `root` (a name like "..x" is below; "../x" is not). */
export function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

/** The desired-state file's start and size, refusing anything that resolves outside the workspace. */
export async function readWorkspaceFile(file: string, filePath: string, workspace: string): Promise<FileStart> {
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
  try {
    return await readRegularFile(real, file);
  } catch (error) {
    if (error instanceof UserError && /is a directory/.test(error.message)) throw new UserError(`${error.message} ${hint}`);
    throw error;
  }
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
