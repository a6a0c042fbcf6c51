/**
 * What every command of the command line shares: its options, the run's context (where it writes,
 * the secrets it must not show, its JSON result), and the steps around the shared core: the file
 * read and validated, the plan read, the LeadConduit client in the command line's terms.
 */
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { credentialsIn } from '../base-url.js';
import { Deadline } from '../deadline.js';
import type { DesiredStateFile } from '../desired-state.js';
import { UserError } from '../errors.js';
import { DEFAULT_FILE, DEFAULT_TUNING } from '../inputs.js';
import { createLeadConduitClient, type LeadConduitClient } from '../leadconduit.js';
import { CLI_WORDING } from '../leadconduit-errors.js';
import { countChanges } from '../plan.js';
import { Redactor } from '../redact.js';
import { InvalidFileError, WrongAccountError, readPlan as readLivePlan, validateDesiredState, type Plan } from '../steps.js';
import { plural } from '../wording.js';
import { readRegularFile, type FileStart } from '../workspace.js';
import { API_KEY_VARIABLE, parseBaseUrlOption, readApiKey } from './settings.js';
import { Output, type Io } from './terminal.js';

export const CLI_NAME = 'leadconduit-account';

/**
 * A command line the CLI suggests, runnable as written where it is installed: in a project the
 * bare name is not on PATH, and `npx --no --` runs the project's own copy without ever fetching
 * one (README). `words` follow the name; the file is added unless it is the default.
 */
export function suggestedCommand(words: string, file: string = DEFAULT_FILE): string {
  return [`npx --no -- ${CLI_NAME}`, words, file === DEFAULT_FILE ? '' : shellWord(file)].filter((word) => word !== '').join(' ');
}

/** Exit codes: 0 success (plan: no changes), 1 failure or refusal, 2 plan found changes. */
export const EXIT = { ok: 0, failed: 1, changes: 2 } as const;

export interface CommonOptions {
  json?: boolean;
}

export interface NetworkOptions extends CommonOptions {
  baseUrl?: string;
  verbose?: boolean;
}

export interface ApplyOptions extends NetworkOptions {
  allowDestructive?: boolean;
  yes?: boolean;
}

export interface ExportOptions extends NetworkOptions {
  force?: boolean;
  id?: string;
  schema?: string;
  includeTimestamps?: boolean;
}

/** One command's run: where it writes, the secrets it must not show, and its JSON result so far. */
export class Context {
  readonly io: Io;
  readonly command: string;
  readonly redactor = new Redactor(() => {
    // The Actions runner's log masking does not apply here: Output scrubs every text instead.
  });
  readonly out: Output;
  /** The --json result, filled in as the run goes, so a failure still reports what was known. */
  readonly result: Record<string, unknown>;

  constructor(io: Io, command: string, json: boolean) {
    this.io = io;
    this.command = command;
    this.out = new Output(io, this.redactor, json);
    // The API key in the environment is a secret whatever the command: a file or an answer may quote it.
    this.redactor.add(io.env[API_KEY_VARIABLE]);
    this.result = { command };
  }
}

/** The file, validated; its problems printed one per line as file:line:column  message. */
export async function loadDesiredState(ctx: Context, file: string): Promise<DesiredStateFile> {
  const path = resolve(ctx.io.cwd, file);
  ctx.result.file = file;
  let start: FileStart;
  try {
    if ((await lstat(path)).isDirectory()) throw new UserError(`${file} is a directory, not a desired-state file.`);
    start = readRegularFile(path, file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(
        `${file} was not found (${path}). Pass the path of the desired-state file, or create one from the live account with: ${suggestedCommand('export', file)}`,
      );
    }
    throw new UserError(`Could not read ${file}: ${describeFsError(error)}.`);
  }
  try {
    const desired = validateDesiredState(start.bytes, file, ctx.redactor, file, start.size);
    if (desired.warnings.length > 0) ctx.result.warnings = desired.warnings;
    for (const warning of desired.warnings) ctx.out.warn(`${file}:${warning.line}:${warning.column}  ${warning.message}`);
    return desired;
  } catch (error) {
    if (error instanceof InvalidFileError) {
      Object.assign(ctx.result, { valid: false, problems: error.problems });
      const { out } = ctx;
      for (const problem of error.problems) out.line(out.paint('bold', `${file}:${problem.line}:${problem.column}`), `  ${problem.message}`);
    }
    throw error;
  }
}

export async function readPlan(ctx: Context, file: string, options: NetworkOptions): Promise<Plan> {
  const baseUrl = baseUrlOf(ctx, options);
  Object.assign(ctx.result, { file, baseUrl });
  const desired = await loadDesiredState(ctx, file);
  ctx.redactor.add(readApiKey(ctx.io.env, ctx.command));
  let plan: Plan;
  try {
    plan = await readLivePlan(cliClient(ctx, options), desired, file, (text) => ctx.redactor.scrub(text));
  } catch (error) {
    if (error instanceof WrongAccountError) ctx.result.account = { id: error.account.id, name: error.account.name ?? null };
    throw error;
  }
  Object.assign(ctx.result, { account: { id: plan.live.id, name: plan.live.name ?? null }, via: plan.via });
  const { total, destructive } = countChanges(plan.changes);
  Object.assign(ctx.result, { changed: total > 0, changeCount: total, destructiveCount: destructive, changes: plan.changes });
  return plan;
}

/** --base-url, checked; a user name or password in it is masked before any message can quote it. */
export function baseUrlOf(ctx: Context, options: NetworkOptions): string {
  const { users, passwords } = credentialsIn(options.baseUrl ?? '');
  for (const password of passwords) ctx.redactor.add(password);
  for (const user of users) ctx.redactor.add(user, 'field');
  return parseBaseUrlOption(options.baseUrl);
}

/**
 * The LeadConduit client as the CLI uses it: each call under its own deadline (time spent at the
 * prompt does not count), with a spinner while it waits, and --verbose request lines on stderr.
 */
export function cliClient(ctx: Context, options: NetworkOptions, changeCount = 0): LeadConduitClient {
  const baseUrl = baseUrlOf(ctx, options);
  const apiKey = readApiKey(ctx.io.env, ctx.command);
  const make = (deadline: Deadline) =>
    createLeadConduitClient({
      baseUrl,
      apiKey,
      requestTimeoutMs: DEFAULT_TUNING.requestTimeoutMs,
      retry: DEFAULT_TUNING.retry,
      deadline,
      redactor: ctx.redactor,
      wording: CLI_WORDING,
      ...(options.verbose === true ? { debug: (message: string) => ctx.out.note(ctx.out.paint('dim', message)) } : {}),
    });
  return {
    readAccount: (expectedId) =>
      withDeadline((deadline) => ctx.out.progress(`Reading the account from ${baseUrl}…`, () => make(deadline).readAccount(expectedId))),
    updateAccount: (body) =>
      withDeadline((deadline) => ctx.out.progress(`Applying ${plural(changeCount, 'change')} (PUT /account)…`, () => make(deadline).updateAccount(body))),
  };
}

/** Each network step has the action's overall deadline; the time spent at a prompt does not count. */
async function withDeadline<T>(work: (deadline: Deadline) => Promise<T>): Promise<T> {
  const deadline = new Deadline(DEFAULT_TUNING.deadlineMs);
  try {
    return await work(deadline);
  } finally {
    deadline.dispose();
  }
}

/** A file name as it can be pasted into a shell. */
export function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'its folder does not exist',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a directory',
    EROFS: 'the file system is read-only',
  };
  return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}
