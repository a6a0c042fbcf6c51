/**
 * Runs the action the way the Actions runner does: a workspace with the desired-state file, an
 * event payload, INPUT_* variables (hyphens kept), GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files.
 * `runInProcess` calls run() from src; `runDist` starts a bundle of the action as a child process
 * (in tests, the build of the current sources: test/support/bundle.ts); `runSources` starts src in
 * a child process of its own.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tuning } from '../../src/inputs.js';
import { DEFAULT_GITHUB_TOKEN } from './fake-github.js';
import { TEST_API_KEY } from './sample-account.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Short timings so fault tests stay fast. */
export const FAST_TUNING: Partial<Tuning> = {
  requestTimeoutMs: 500,
  deadlineMs: 20_000,
  retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 },
};

export interface ActionSetup {
  /** The desired-state file's content (string or object); undefined: no file. */
  file?: string | object | Buffer;
  fileName?: string;
  inputs?: Record<string, string>;
  event?: string;
  payload?: object;
  leadconduitUrl?: string;
  githubUrl?: string;
  env?: Record<string, string>;
  /** GITHUB_SHA */
  sha?: string;
  /** Runs on the workspace after the file is written, before the action (a link, a FIFO...). */
  prepare?: (workspace: string) => Promise<void>;
}

export interface ActionRun {
  env: Record<string, string>;
  workspace: string;
  temp: string;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
  exitCode: number;
  /** stdout (less the ::add-mask:: commands the runner consumes), summary and every output, for leak checks. */
  everything: string;
  cleanup: () => Promise<void>;
}

export const PR_NUMBER = 7;
export const BASE_SHA = 'b'.repeat(40);
export const HEAD_SHA = 'c'.repeat(40);
export const MERGE_SHA = 'd'.repeat(40);

export function pullRequestPayload(number = PR_NUMBER): object {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      html_url: `https://github.com/acme/settings/pull/${number}`,
      base: { sha: BASE_SHA, ref: 'main', repo: { full_name: 'acme/settings', fork: false } },
      head: { sha: HEAD_SHA, ref: 'feature', repo: { full_name: 'acme/settings', fork: false } },
    },
    repository: { name: 'settings', owner: { login: 'acme' }, full_name: 'acme/settings' },
  };
}

/** A pull request from a fork: its head is another repository (GitHub gives such runs a read-only token). */
export function forkPayload(number = PR_NUMBER): object {
  const payload = pullRequestPayload(number) as { pull_request: { head: Record<string, unknown> } };
  payload.pull_request.head = { sha: HEAD_SHA, ref: 'feature', repo: { full_name: 'outsider/settings', fork: true } };
  return payload;
}

export async function prepare(setup: ActionSetup): Promise<{ env: Record<string, string>; workspace: string; temp: string; cleanup: () => Promise<void> }> {
  const temp = await mkdtemp(join(tmpdir(), 'lc-action-'));
  const workspace = join(temp, 'workspace');
  const runnerTemp = join(temp, 'runner-temp');
  await mkdir(workspace, { recursive: true });
  await mkdir(runnerTemp, { recursive: true });
  const fileName = setup.fileName ?? 'leadconduit-account.json';
  if (setup.file !== undefined) {
    const content = Buffer.isBuffer(setup.file) ? setup.file : typeof setup.file === 'string' ? setup.file : `${JSON.stringify(setup.file, null, 2)}\n`;
    await mkdir(dirname(join(workspace, fileName)), { recursive: true });
    await writeFile(join(workspace, fileName), content);
  }
  await setup.prepare?.(workspace);
  const event = setup.event ?? 'pull_request';
  const payload = setup.payload ?? (event.startsWith('pull_request') ? pullRequestPayload() : {});
  const eventPath = join(temp, 'event.json');
  await writeFile(eventPath, JSON.stringify(payload));
  const summary = join(temp, 'summary.md');
  const output = join(temp, 'output.txt');
  await writeFile(summary, '');
  await writeFile(output, '');
  const inputs: Record<string, string> = {
    'api-key': TEST_API_KEY,
    file: fileName,
    mode: 'auto',
    'base-url': setup.leadconduitUrl ?? 'http://127.0.0.1:9',
    'github-token': DEFAULT_GITHUB_TOKEN,
    comment: 'true',
    'allow-destructive': 'false',
    ...setup.inputs,
  };
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/settings',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: setup.sha ?? (event.startsWith('pull_request') ? 'e'.repeat(40) : MERGE_SHA),
    GITHUB_REF: event.startsWith('pull_request') ? `refs/pull/${PR_NUMBER}/merge` : 'refs/heads/main',
    GITHUB_ACTOR: 'octo-ops',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: setup.githubUrl ?? 'http://127.0.0.1:9',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: runnerTemp,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])),
    ...setup.env,
  };
  return { env, workspace, temp, cleanup: () => rm(temp, { recursive: true, force: true }) };
}

/** GITHUB_OUTPUT as the runner reads it: name<<DELIMITER / value / DELIMITER. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name ?? ''] = value.join('\n');
  }
  return outputs;
}

async function collect(prepared: Awaited<ReturnType<typeof prepare>>, stdout: string, exitCode: number): Promise<ActionRun> {
  const summary = await readFile(prepared.env.GITHUB_STEP_SUMMARY ?? '', 'utf8');
  const outputsText = await readFile(prepared.env.GITHUB_OUTPUT ?? '', 'utf8');
  const outputs = parseOutputs(outputsText);
  const logged = stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return { ...prepared, stdout, summary, outputs, exitCode, everything: `${logged}\n${summary}\n${outputsText}` };
}

/** run() in this process, with process.env and stdout swapped for the run. */
export async function runInProcess(setup: ActionSetup, tuning: Partial<Tuning> = FAST_TUNING): Promise<ActionRun> {
  const prepared = await prepare(setup);
  const { run } = await import('../../src/main.js');
  const savedEnv = process.env;
  const savedWrite = process.stdout.write.bind(process.stdout);
  const savedExitCode = process.exitCode;
  // A run that talks to GitHub points the fetch globals at @actions/github's undici (octokit.ts).
  const { fetch, Request, Response, Headers, FormData } = globalThis;
  let stdout = '';
  process.env = { PATH: savedEnv.PATH ?? '', ...prepared.env };
  process.exitCode = undefined;
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  let exitCode: number;
  try {
    await run(tuning);
  } finally {
    process.stdout.write = savedWrite;
    exitCode = Number(process.exitCode ?? 0);
    process.exitCode = savedExitCode;
    process.env = savedEnv;
    Object.assign(globalThis, { fetch, Request, Response, Headers, FormData });
  }
  return collect(prepared, stdout, exitCode);
}

/**
 * A bundle of the action, as the runner starts it: `node <entry>` with the runner's environment.
 * Tests pass the build of the current sources (test/support/bundle.ts), never dist/ itself.
 */
export function runDist(setup: ActionSetup, entry: string): Promise<ActionRun & { stderr: string }> {
  return runNode(setup, [entry]);
}

/** The sources, run by Node itself (type stripping, .js imports mapped to .ts) in a process of their own. */
export function runSources(setup: ActionSetup): Promise<ActionRun & { stderr: string }> {
  return runNode(setup, ['--import', join(ROOT, 'scripts/register-ts.mjs'), join(ROOT, 'src/index.ts')]);
}

async function runNode(setup: ActionSetup, args: readonly string[]): Promise<ActionRun & { stderr: string }> {
  const prepared = await prepare(setup);
  const child = spawn(process.execPath, args, {
    cwd: prepared.workspace,
    env: { PATH: process.env.PATH ?? '', ...prepared.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exitCode = await new Promise<number>((resolveExit) => child.on('close', (code) => resolveExit(code ?? -1)));
  return { ...(await collect(prepared, stdout, exitCode)), stderr };
}
