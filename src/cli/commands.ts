/** leadconduit-account validate, plan and apply: the shared steps in order, shown at the terminal. */
import type { LiveAccount } from '../account-schema.js';
import { countChanges, managedSettings, previousState, type Change, type Json } from '../plan.js';
import { applyPlan, type Plan, type Refusal } from '../steps.js';
import { plural } from '../wording.js';
import { UserError } from '../errors.js';
import { EXIT, cliClient, loadDesiredState, readPlan, suggestedCommand, type ApplyOptions, type Context, type NetworkOptions } from './context.js';
import { confirm, renderTable } from './terminal.js';

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
  ctx.out.line(`Apply ${changes.length === 1 ? 'it' : 'them'} with: ${suggestedCommand('apply', file)}`);
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

function show(value: Json): string {
  return value === null ? '(not set)' : JSON.stringify(value);
}
