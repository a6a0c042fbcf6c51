import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** A named pipe at `path` (Node has no API for one; coreutils' mkfifo does it). */
export async function mkfifo(path: string): Promise<void> {
  await promisify(execFile)('mkfifo', [path]);
}
