// Synchronous file calls: a run reads one small file and writes a few, one after another, and
// the asynchronous ones would start libuv's thread pool for nothing (measured in bench/).
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { MAX_FILE_BYTES } from './desired-state.js';
import { UserError } from './errors.js';

/** The start of a file (at most MAX_FILE_BYTES + 1 bytes, enough to tell it is too large) and its size. */
export interface FileStart {
  bytes: Uint8Array;
  size: number;
}

/** A path that is not a regular file (nor a directory): reading it could wait for ever or never end. */
export class NotRegularFileError extends UserError {
  /** What it is, e.g. "a named pipe (FIFO)". */
  readonly kind: string;
  constructor(label: string, kind: string) {
    super(`${label} is ${kind}, not a regular file: the desired-state file must be a plain file in the repository.`);
    this.kind = kind;
  }
}

/**
 * A regular file's first `limit + 1` bytes and its size. Anything else is refused with what it is:
 * reading a FIFO would wait forever for a writer, a device could be endless. Opened without
 * blocking and checked on the open handle, so what is read is what was checked.
 */
export function readRegularFile(path: string, label: string, limit = MAX_FILE_BYTES): FileStart {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new UserError(`${label} is a directory, not a file.`);
    if (!stats.isFile()) {
      throw new NotRegularFileError(label, stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isSocket() ? 'a socket' : 'a device');
    }
    const bytes = Buffer.alloc(Math.min(stats.size, limit + 1));
    let read = 0;
    while (read < bytes.length) {
      const bytesRead = readSync(fd, bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { bytes: bytes.subarray(0, read), size: stats.size };
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` is strictly below the folder `root` (a name like "..x" is below; "../x" is not). */
export function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

/** The desired-state file's start and size, refusing anything that resolves outside the workspace. */
export function readWorkspaceFile(file: string, filePath: string, workspace: string): FileStart {
  const hint = 'Commit it, or set the "file" input to its path relative to the repository root (and run actions/checkout before this step).';
  let stats;
  try {
    stats = lstatSync(filePath);
  } catch {
    throw new UserError(`${file} was not found in the workspace (${filePath}). ${hint}`);
  }
  if (stats.isDirectory()) throw new UserError(`${file} is a directory, not a file. ${hint}`);
  const real = realpathSync(filePath);
  const root = realpathSync(workspace);
  if (!isInside(root, real)) {
    throw new UserError(`${file} is a link to ${real}, outside the workspace; the desired-state file must live in the repository.`);
  }
  try {
    return readRegularFile(real, file);
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
export function writeRunnerTempFile(runnerTemp: string | undefined, repoPath: string, kind: 'drift' | 'previous', content: string): string | undefined {
  if (!runnerTemp) return undefined;
  mkdirSync(runnerTemp, { recursive: true });
  const path = join(runnerTemp, `${repoPath.replace(/\.json$/i, '').replace(/[^\w.-]+/g, '-')}.${kind}.json`);
  writeFileSync(path, content);
  return path;
}
