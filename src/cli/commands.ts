import { lstat, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ACCOUNT_ID_PATTERN, type LiveAccount } from '../account-schema.js';
import { credentialsIn } from '../base-url.js';
import type { DesiredStateFile } from '../desired-state.js';
import { UserError } from '../errors.js';
import { DEFAULT_FILE, DEFAULT_TUNING } from '../inputs.js';
import { createLeadConduitClient, type LeadConduitClient } from '../leadconduit.js';
import { CLI_WORDING } from '../leadconduit-errors.js';
import { countChanges, managedSettings, previousState, type Change, type Json } from '../plan.js';
import { Redactor } from '../redact.js';
import { Deadline } from '../deadline.js';
import { SCHEMA_URL } from '../schema-url.js';
import { exportAccount } from './export.js';
import { InvalidFileError, WrongAccountError, applyPlan, readPlan as readLivePlan, validateDesiredState, type Plan, type Refusal } from '../steps.js';
import { plural } from '../wording.js';
import { readRegularFile, type FileStart } from '../workspace.js';
import { parseBaseUrlOption, readApiKey } from './settings.js';
import { Output, confirm, renderTable, type Io } from './terminal.js';

export const CLI_NAME = 'leadconduit-account';

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
    this.result = { command };
  }
}

export async function validateCommand(ctx: Context, file: string): Promise<number> {
  const desired = await loadDesiredState(ctx, file);
  const settings = managedSettings(desired.state).length;
  Object.assign(ctx.result, { ok: true, valid: true, settings, problems: [] });
  if (ctx.out.json) ctx.out.emit(ctx.result);
  ctx.out.line(ctx.out.paint('green', '✓'), ` ${file} is valid: ${plural(settings, 'managed setting')}.`);
  return EXIT.ok;
}

export async function planCommand(ctx: Context, file: string, options: NetworkOptions): Promise<number> {
  const { live, changes } = await readPlan(ctx, file, options);
  if (ctx.out.json) ctx.out.emit({ ...ctx.result, ok: true });
  printPlan(ctx, file, live, changes);
  if (changes.length === 0) return EXIT.ok;
  const apply = `${CLI_NAME} apply${file === DEFAULT_FILE ? '' : ` ${shellWord(file)}`}`;
  ctx.out.line(`Apply ${changes.length === 1 ? 'it' : 'them'} with: ${apply}`);
  // --allow-destructive is named only with what it would delete, never as a plain suggestion.
  const destructive = changes.filter((c) => c.destructive);
  if (destructive.length > 0) {
    const what = destructive.map((c) => `${c.path}: ${c.warning ?? 'cannot be undone'}`).join('; ');
    ctx.out.line(
      `${plural(destructive.length, 'change is', 'changes are')} destructive (${what}). The apply refuses ${destructive.length === 1 ? 'it' : 'them'} unless you add --allow-destructive: add it only if that data may be lost.`,
    );
  }
  return EXIT.changes;
}

export async function applyCommand(ctx: Context, file: string, options: ApplyOptions): Promise<number> {
  const plan = await readPlan(ctx, file, options);
  const { live, changes } = plan;
  ctx.result.applied = false;
  printPlan(ctx, file, live, changes);
  if (changes.length === 0) {
    if (ctx.out.json) ctx.out.emit({ ...ctx.result, ok: true });
    return EXIT.ok;
  }

  const applied = await applyPlan(plan, {
    client: cliClient(ctx, options, changes.length),
    allowDestructive: options.allowDestructive === true,
    allowDestructiveHint: 're-run with --allow-destructive',
    guards: [() => confirmApply(ctx, plan, options)],
    beforeSend: () => {
      Object.assign(ctx.result, { requestBody: plan.body, previousState: previousState(plan.desired.state, live), bodySent: true });
    },
  });
  switch (applied.status) {
    case 'refused':
      throw new UserError(applied.refusal.message);
    case 'mismatched':
      ctx.result.mismatches = applied.mismatches;
      throw new UserError(applied.message);
    case 'wrong-account':
      ctx.result.updatedAccount = { id: applied.after.id, name: applied.after.name ?? null };
      throw new UserError(applied.message);
    case 'applied':
      ctx.result.applied = true;
      if (ctx.out.json) ctx.out.emit({ ...ctx.result, ok: true });
      ctx.out.line(ctx.out.paint('green', '✓'), ` Applied ${plural(changes.length, 'change')}; the account now matches ${file}.`);
      return EXIT.ok;
  }
}

/** The CLI's own guard: a person says yes at the terminal, or --yes says it for them. */
async function confirmApply(ctx: Context, plan: Plan, options: ApplyOptions): Promise<Refusal | undefined> {
  if (options.yes === true) return undefined;
  const refuse = (message: string): Refusal => ({ guard: 'confirmation', reason: 'the apply was not confirmed', message });
  if (ctx.out.json) {
    return refuse(
      'Refusing to apply without confirmation: --json output is for scripts, which cannot answer the question. Nothing was sent. Review the plan, then re-run with --yes to apply without asking.',
    );
  }
  if (ctx.io.stdin.isTTY !== true) {
    return refuse(
      'Refusing to apply without confirmation: there is no terminal to ask on. Nothing was sent. Review the plan above, then re-run with --yes to apply without asking.',
    );
  }
  const { destructive } = countChanges(plan.changes);
  if (destructive > 0) ctx.out.warn(`${plural(destructive, 'change')} can permanently delete lead data (see the note column).`);
  const question = ctx.out.question(
    `Apply ${plural(plan.changes.length, 'change')} to ${plan.live.name ?? 'the account'} (${plan.live.id})? Type "yes" to apply: `,
  );
  return (await confirm(ctx.io, question)) ? undefined : refuse('Apply cancelled; nothing was sent.');
}

export async function exportCommand(ctx: Context, file: string, options: ExportOptions): Promise<number> {
  const baseUrl = baseUrlOf(ctx, options);
  if (options.id !== undefined && !ACCOUNT_ID_PATTERN.test(options.id)) {
    throw new UserError(`--id must be the account's 24-character hexadecimal id (e.g. 5fd4371e940df5a34a3888b2), not "${options.id}".`);
  }
  const path = resolve(ctx.io.cwd, file);
  Object.assign(ctx.result, { file, baseUrl, written: false });
  let existing: Buffer | undefined;
  try {
    const stats = await lstat(path);
    if (stats.isDirectory()) throw new UserError(`${file} is a directory; name the desired-state file to write.`);
    if (options.force !== true) throw new UserError(`${file} already exists; nothing was written. Re-run with --force to overwrite it.`);
    existing = await readFile(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`Could not write ${file}: ${describeFsError(error)}.`);
    // Found out before reading the account, not after.
    const folder = await lstat(dirname(path)).catch(() => undefined);
    if (!folder?.isDirectory()) throw new UserError(`Could not write ${file}: its folder does not exist.`);
  }
  ctx.redactor.add(readApiKey(ctx.io.env, 'export'));

  const { account: live, via } = await cliClient(ctx, options).readAccount(options.id);
  ctx.result.account = { id: live.id, name: live.name ?? null };
  ctx.result.via = via;

  const schemaRef = options.schema ?? keptSchema(existing) ?? SCHEMA_URL;
  const exported = exportAccount(live, schemaRef, file, options.includeTimestamps === true);
  // Only writable fields are picked, and secrets are dropped on arrival; this is the last guard.
  if (ctx.redactor.scrub(exported.text) !== exported.text) {
    throw new Error('the exported file would contain a secret (the API key or an account credential); nothing was written');
  }
  try {
    await writeFile(path, exported.text, { flag: options.force === true ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UserError(`${file} already exists; nothing was written. Re-run with --force to overwrite it.`);
    throw new UserError(`Could not write ${file}: ${describeFsError(error)}.`);
  }
  Object.assign(ctx.result, { written: true, settings: exported.settings, skipped: exported.skipped, schema: schemaRef });
  if (ctx.out.json) ctx.out.emit({ ...ctx.result, ok: true });
  for (const skip of exported.skipped) ctx.out.warn(`${skip.path} was not exported: ${skip.reason}.`);
  if (options.includeTimestamps === true) {
    ctx.out.warn(
      'the subscription timestamps were written as asked: LeadConduit sets them itself, so plans will show them as drift after the next change. Remove them to stop managing them.',
    );
  }
  ctx.out.line(
    ctx.out.paint('green', '✓'),
    ` Wrote ${file}: ${plural(exported.settings, 'setting')} of account ${live.name ?? '(no name)'} (${live.id}), read with ${via}.`,
  );
  ctx.out.line(
    `Every setting in it is now managed; remove the ones you do not want to manage, then check with: ${CLI_NAME} plan${file === DEFAULT_FILE ? '' : ` ${shellWord(file)}`}`,
  );
  return EXIT.ok;
}

/** The file, validated; its problems printed one per line as file:line:column  message. */
async function loadDesiredState(ctx: Context, file: string): Promise<DesiredStateFile> {
  const path = resolve(ctx.io.cwd, file);
  ctx.result.file = file;
  let start: FileStart;
  try {
    if ((await lstat(path)).isDirectory()) throw new UserError(`${file} is a directory, not a desired-state file.`);
    start = await readRegularFile(path, file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(
        `${file} was not found (${path}). Pass the path of the desired-state file, or create one from the live account with: ${CLI_NAME} export${file === DEFAULT_FILE ? '' : ` ${shellWord(file)}`}`,
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

async function readPlan(ctx: Context, file: string, options: NetworkOptions): Promise<Plan> {
  const baseUrl = baseUrlOf(ctx, options);
  Object.assign(ctx.result, { file, baseUrl });
  const desired = await loadDesiredState(ctx, file);
  ctx.redactor.add(readApiKey(ctx.io.env, ctx.command));
  let plan: Plan;
  try {
    plan = await readLivePlan(cliClient(ctx, options), desired, file);
  } catch (error) {
    if (error instanceof WrongAccountError) ctx.result.account = { id: error.account.id, name: error.account.name ?? null };
    throw error;
  }
  Object.assign(ctx.result, { account: { id: plan.live.id, name: plan.live.name ?? null }, via: plan.via });
  const { total, destructive } = countChanges(plan.changes);
  Object.assign(ctx.result, { changed: total > 0, changeCount: total, destructiveCount: destructive, changes: plan.changes });
  return plan;
}

function printPlan(ctx: Context, file: string, live: LiveAccount, changes: readonly Change[]): void {
  const { out } = ctx;
  out.line(`Account ${live.name ?? '(no name)'} (${live.id})`);
  if (changes.length === 0) {
    out.line(out.paint('green', '✓'), ` No changes: the live account matches ${file}.`);
    return;
  }
  const rows = [
    ['SETTING', 'LIVE', 'DESIRED', 'NOTE'],
    ...changes.map((c) => [c.path, show(c.before), show(c.after), c.destructive ? `⚠ destructive: ${c.warning ?? ''}` : '']),
  ];
  out.line();
  for (const row of renderTable(rows, (r, c, text) => {
    if (text.trim() === '') return text;
    if (r === 0) return out.paint('dim', text);
    if (c === 0) return out.paint('bold', text);
    if (c === 1) return out.paint('red', text);
    if (c === 2) return out.paint('green', text);
    return out.paint(['bold', 'yellow'], text);
  })) {
    out.line(...row);
  }
  out.line();
  const { total, destructive } = countChanges(changes);
  const counts = `Plan: ${plural(total, 'change')}, ${destructive} destructive`;
  out.line(destructive > 0 ? out.paint(['bold', 'yellow'], `${counts}.`) : `${counts}.`);
}

/** --base-url, checked; a user name or password in it is masked before any message can quote it. */
function baseUrlOf(ctx: Context, options: NetworkOptions): string {
  const { users, passwords } = credentialsIn(options.baseUrl ?? '');
  for (const password of passwords) ctx.redactor.add(password);
  for (const user of users) ctx.redactor.add(user, 'field');
  return parseBaseUrlOption(options.baseUrl);
}

/**
 * The LeadConduit client as the CLI uses it: each call under its own deadline (time spent at the
 * prompt does not count), with a spinner while it waits, and --verbose request lines on stderr.
 */
function cliClient(ctx: Context, options: NetworkOptions, changeCount = 0): LeadConduitClient {
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

/** The "$schema" of the file being overwritten, kept when it has one. */
function keptSchema(existing: Buffer | undefined): string | undefined {
  if (existing === undefined) return undefined;
  try {
    const value = (JSON.parse(existing.toString('utf8')) as { $schema?: unknown }).$schema;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

function show(value: Json): string {
  return value === null ? '(not set)' : JSON.stringify(value);
}

/** A file name as it can be pasted into a shell. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function describeFsError(error: unknown): string {
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
