/**
 * Runs the leadconduit-account command line as a user's shell would: in a folder of its own,
 * with only PATH, HOME, the API key variable and what the test adds in its environment, stdin a
 * pipe (not a terminal). `runCliInProcess` calls runCli from src in this process;
 * `runCliChild` starts a built cli.js (test/e2e/bundle.test.ts: the build of the current sources).
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/program.js';
import { TEST_API_KEY } from './sample-account.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** What stdin holds; without it stdin ends at once (not a terminal either way). */
  input?: string;
  /** LEADCONDUIT_API_KEY; null leaves it unset. Default TEST_API_KEY. */
  apiKey?: string | null;
}

function cliEnv(home: string, options: CliOptions): Record<string, string> {
  const apiKey = options.apiKey === undefined ? TEST_API_KEY : options.apiKey;
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    ...(apiKey === null ? {} : { LEADCONDUIT_API_KEY: apiKey }),
    ...options.env,
  };
}

/**
 * runCli(args) in this process, in `dir`. process.env is the run's environment while it runs, as
 * in a child process: commander reads NO_COLOR and FORCE_COLOR from it for the help.
 */
export async function runCliInProcess(dir: string, args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const env = cliEnv(dir, options);
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([options.input ?? '']),
    env,
    cwd: dir,
  };
  const savedEnv = process.env;
  process.env = env;
  try {
    const code = await runCli(args, io);
    return { code, stdout, stderr };
  } finally {
    process.env = savedEnv;
  }
}

/** `node <cli> <args>` in `dir`, as a user runs the built command line. */
export async function runCliChild(cli: string, dir: string, args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: cliEnv(dir, options), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(options.input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? -1)));
  return { code, stdout, stderr };
}
