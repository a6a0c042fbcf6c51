/**
 * The steps the action and the command line both take, written once: validate the file, read the
 * plan, and apply it (refuse destructive changes, run the adapter's own guards, one PUT, check
 * which account changed, read-after-write verification). The adapters only put these in order
 * and show the results their way (annotations and a summary, or terminal lines).
 */
import type { AccountUpdate, LiveAccount } from './account-schema.js';
import { parseDesiredState, secretsInFile, type DesiredStateFile, type Problem } from './desired-state.js';
import { UserError, type Verdict } from './errors.js';
import type { LeadConduitClient } from './leadconduit.js';
import { oddLiveValues, planChanges, verifyAccount, type Change, type Mismatch } from './plan.js';
import { buildAccountUpdate } from './request-body.js';
import type { Redactor } from './redact.js';
import { describeJsonValue, plural } from './wording.js';

/** The file has problems; each adapter shows them its way. Nothing was read or sent. */
export class InvalidFileError extends UserError {
  override name = 'InvalidFileError';
  /** The first problems (see MAX_PROBLEMS); `total` counts them all. */
  readonly problems: readonly Problem[];
  readonly total: number;
  constructor(file: string, problems: readonly Problem[], total = problems.length) {
    super(`${file} has ${plural(total, 'problem')}${total > problems.length ? ` (the first ${problems.length} are shown)` : ''}`);
    this.problems = problems;
    this.total = total;
  }
}

/** The file's account id is not the API key's account: nothing is planned against the wrong account. */
export class WrongAccountError extends UserError {
  override name = 'WrongAccountError';
  readonly account: LiveAccount;
  constructor(file: string, expectedId: string, account: LiveAccount) {
    const reason = `${file} is for account ${expectedId}, but the API key reads account ${account.id} (${account.name ?? 'no name'})`;
    const detail = `Nothing was changed: use the API key of account ${expectedId}, or correct "id" in the file.`;
    super(`${reason}. ${detail}`, [], { reason, detail });
    this.account = account;
  }
}

/**
 * Parse and validate the file; on problems, its secrets are masked before any message could quote
 * them. `file` is the path problems point at; `label` how messages name the file (default `file`).
 */
export function validateDesiredState(bytes: Uint8Array, file: string, redactor: Redactor, label = file, size = bytes.length): DesiredStateFile {
  // A committed api_key is still a secret, known before any message quotes, and cuts, the file's
  // text. Only an invalid file holds one (no key of a valid file is named like a credential), so
  // the file is searched when something is first said about it, not on every run.
  let searched = false;
  const registerFileSecrets = () => {
    if (searched) return;
    searched = true;
    for (const secret of secretsInFile(Buffer.from(bytes).toString('utf8'))) redactor.add(secret, 'field');
  };
  const scrub = (text: string) => {
    registerFileSecrets();
    return redactor.scrub(text);
  };
  const parsed = parseDesiredState(bytes, file, size, { scrub });
  if (parsed.ok) return parsed.desired;
  registerFileSecrets();
  throw new InvalidFileError(label, parsed.problems, parsed.total);
}

/** What an apply would do: the file, the live account, the changes and the one PUT body. */
export interface Plan {
  desired: DesiredStateFile;
  live: LiveAccount;
  via: 'GET /account' | 'GET /user';
  /** With GET /user: how many accounts the API key's user has. */
  userAccounts?: number;
  changes: Change[];
  body: AccountUpdate;
}

/**
 * Read the live account, make sure it is the file's, and plan the changes. Sends nothing. `scrub`
 * (the run's Redactor) cleans a live value before a message describes and cuts it.
 */
export async function readPlan(client: LeadConduitClient, desired: DesiredStateFile, file: string, scrub: (text: string) => string): Promise<Plan> {
  const { account: live, via, userAccounts } = await client.readAccount(desired.state.id);
  const expectedId = desired.state.id;
  if (expectedId !== undefined && expectedId.toLowerCase() !== live.id.toLowerCase()) throw new WrongAccountError(file, expectedId, live);
  const odd = oddLiveValues(desired.state, live);
  if (odd.length > 0) {
    const list = odd.map((o) => `${o.path} is ${describeJsonValue(o.value, scrub)}, where ${o.expected}`);
    const reason = `LeadConduit's account holds ${plural(odd.length, 'managed setting')} of an unexpected kind, which cannot be compared with ${file}`;
    // A report lists the settings one per line, so its explanation does not list them again.
    const detail = `Nothing was sent. Check ${odd.length === 1 ? 'it' : 'them'} in LeadConduit (or with LeadConduit's support), then run again.`;
    throw new UserError(`${reason}: ${list.join('; ')}. ${detail}`, list, { reason, detail });
  }
  const changes = planChanges(desired.state, live);
  return { desired, live, via, ...(userAccounts === undefined ? {} : { userAccounts }), changes, body: buildAccountUpdate(desired.state, live, changes) };
}

/** Why an apply sent nothing. */
export interface Refusal {
  guard: 'account' | 'destructive' | 'reviewed-plan' | 'confirmation';
  /** The verdict in a few words, e.g. "2 destructive changes are not allowed". */
  reason: string;
  /** The whole explanation: what stopped the apply, why, and what to do. */
  message: string;
  /** Under the reason in a report, where it is not the message without its first clause. */
  detail?: string;
}

export interface ApplyOptions {
  client: LeadConduitClient;
  allowDestructive: boolean;
  /** How this adapter allows destructive changes, for the refusal ("set allow-destructive: true for this run"). */
  allowDestructiveHint: string;
  /** The adapter's own checks, in order, after the destructive guard: the reviewed plan (action), the prompt (CLI). */
  guards?: ReadonlyArray<() => Promise<Refusal | undefined>>;
  /** Called once every guard passed, just before the PUT (e.g. to keep a rollback file). */
  beforeSend?: () => Promise<void> | void;
  /** Runs each part of the sequence ("Apply", "Verify"): the action shows each as a log group. */
  step?: <T>(name: 'Apply' | 'Verify', work: () => Promise<T>) => Promise<T>;
}

export type ApplyResult =
  | { status: 'refused'; refusal: Refusal }
  | { status: 'applied'; after: LiveAccount }
  /** LeadConduit accepted the PUT, but some managed settings do not hold the file's values. */
  | ({ status: 'mismatched'; after: LiveAccount; mismatches: Mismatch[]; message: string } & Verdict)
  /** The PUT changed another account than the one planned. */
  | ({ status: 'wrong-account'; after: LiveAccount; message: string } & Verdict);

/**
 * The apply sequence for a plan with changes: guards first (nothing is sent when one refuses),
 * then the one PUT /account and the read-after-write check of every managed setting. A failed PUT
 * throws the client's error: the update may or may not have been applied.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const step = options.step ?? (<T>(_name: string, work: () => Promise<T>) => work());
  const sent = await step('Apply', async (): Promise<{ refusal: Refusal } | { after: LiveAccount }> => {
    const refusal = accountRefusal(plan) ?? destructiveRefusal(plan.changes, options.allowDestructive, options.allowDestructiveHint);
    if (refusal) return { refusal };
    for (const guard of options.guards ?? []) {
      const refused = await guard();
      if (refused) return { refusal: refused };
    }
    await options.beforeSend?.();
    return { after: await options.client.updateAccount(plan.body) };
  });
  if ('refusal' in sent) return { status: 'refused', refusal: sent.refusal };
  const { after } = sent;
  if (after.id.toLowerCase() !== plan.live.id.toLowerCase()) {
    const changed = `${after.id} (${after.name ?? 'no name'})`;
    const planned = `${plan.live.id} (${plan.live.name ?? 'no name'})`;
    const check = `Check both accounts in LeadConduit now: ${after.id} may have changed in ways nobody reviewed. Then check which account the API key belongs to.`;
    return {
      status: 'wrong-account',
      after,
      message: `LeadConduit applied the update to account ${changed}, not to account ${planned}, the one that was read and planned. ${check}`,
      reason: `the update went to account ${after.id}, not ${plan.live.id}`,
      detail: `Account ${changed} was changed; ${planned} was the one read and planned. ${check}`,
    };
  }
  const mismatches = await step('Verify', () => Promise.resolve(verifyAccount(plan.desired.state, after)));
  if (mismatches.length === 0) return { status: 'applied', after };
  const reason = `LeadConduit accepted the update, but ${plural(mismatches.length, 'setting does', 'settings do')} not match the file afterwards`;
  // A report shows the settings in a table of their own, so its explanation does not list them.
  const detail = 'Check the account in LeadConduit: it did not take these values (a plan limit, or a setting that depends on another).';
  return {
    status: 'mismatched',
    after,
    mismatches,
    message: `${reason}: ${mismatches.map((m) => `${m.path} is ${JSON.stringify(m.actual)}, expected ${JSON.stringify(m.expected)}`).join('; ')}. Check the account in LeadConduit.`,
    reason,
    detail,
  };
}

/**
 * PUT /account changes the API key's own account. Read through GET /user with several accounts,
 * the planned account (the file's id) cannot be known to be that one: the guards would judge one
 * account while the PUT changes another. Refused before anything is sent.
 */
function accountRefusal(plan: Plan): Refusal | undefined {
  if (plan.via !== 'GET /user' || (plan.userAccounts ?? 1) <= 1) return undefined;
  const rest = `PUT /account changes the key's own account, which cannot be confirmed to be ${plan.live.id} (${plan.live.name ?? 'no name'}), the account in the file. Nothing was sent. Use an API key of a user with this one account.`;
  return {
    guard: 'account',
    reason: `the API key's user has ${plan.userAccounts} accounts`,
    message: `Refusing to apply: LeadConduit does not serve GET /account here, and the API key's user has ${plan.userAccounts} accounts. ${rest}`,
    detail: `LeadConduit does not serve GET /account here, and ${rest}`,
  };
}

function destructiveRefusal(changes: readonly Change[], allowed: boolean, hint: string): Refusal | undefined {
  const destructive = changes.filter((c) => c.destructive);
  if (destructive.length === 0 || allowed) return undefined;
  return {
    guard: 'destructive',
    reason: `${plural(destructive.length, 'destructive change is', 'destructive changes are')} not allowed`,
    message: `Refusing to apply ${plural(destructive.length, 'destructive change')}: ${destructive.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)} (${c.warning ?? ''})`).join('; ')}. Nothing was sent. If this is intended, ${hint}.`,
  };
}
