import type { AccountUpdate } from './account-schema.js';
import type { Problem } from './desired-state.js';
import type { Mode } from './inputs.js';
import { code, codeText, details, escapeText, fenced, table } from './markdown.js';
import { countChanges, type Change, type Json, type Mismatch } from './plan.js';
import { plural } from './wording.js';

export type Outcome =
  | 'invalid' // the file (or the inputs) are wrong; nothing was read or sent
  | 'validated' // the file is valid; no live comparison was made
  | 'no-changes'
  | 'planned'
  | 'applied'
  | 'drift' // check found the live account differs from the file
  | 'failed';

export interface TriggerInfo {
  actor: string;
  event: string;
  commit: string;
  pullRequest?: { number: number; url: string };
  runUrl?: string;
}

/** Everything a summary or a comment shows, gathered by main.ts as the run goes. */
export interface RunReport {
  outcome: Outcome;
  mode: Mode;
  file: string;
  baseUrl: string;
  account?: { id: string; name?: string | null | undefined };
  changes: Change[];
  /** The PUT body apply sends (plan) or sent (apply). */
  requestBody?: AccountUpdate;
  bodySent?: boolean;
  problems?: Problem[];
  error?: string;
  errorDetails?: readonly string[];
  /** Settings that did not take after the PUT. */
  mismatches?: Mismatch[];
  /** Short remarks shown under the verdict, e.g. why the live comparison was skipped. */
  notes: string[];
  /** On pull requests: whether changes are split into PR changes and reverted live edits. */
  threeWay?: boolean;
  /** Apply: the managed settings as they were before, as a ready-to-commit file. */
  previousState?: string;
  trigger?: TriggerInfo;
  /** Check: the file updated with the live values. */
  driftFile?: string;
}

/** The first line: the verdict and its counts. */
export function headline(report: RunReport): string {
  const { total, destructive } = countChanges(report.changes);
  const counts = `${plural(total, 'change')}, ${destructive} destructive`;
  const file = report.file;
  switch (report.outcome) {
    case 'invalid':
      return `❌ Invalid: ${report.problems?.length ? `${plural(report.problems.length, 'problem')} in ${file}` : (report.error ?? 'bad input')}; nothing was sent`;
    case 'validated':
      return `✅ Valid: ${file} passed validation; the live account was not compared`;
    case 'no-changes':
      return report.mode === 'apply' ? `✅ Nothing to apply: the live account already matches ${file}` : `✅ No changes: the live account matches ${file}`;
    case 'planned':
      return `📝 Plan: ${counts}${destructive > 0 ? ' ⚠️' : ''}`;
    case 'applied':
      return `✅ Applied: ${counts}`;
    case 'drift':
      return `⚠️ Drift: ${plural(total, 'setting')} in the live account differ from ${file}`;
    case 'failed':
      return `❌ Failed: ${report.error ?? 'the run failed'}${report.bodySent ? '' : ' Nothing was changed.'}`;
  }
}

function valueCell(value: Json): string {
  return value === null ? '<em>not set</em>' : code(value);
}

function noteCell(change: Change): string {
  return change.destructive ? `⚠️ **Destructive:** ${escapeText(change.warning ?? 'cannot be undone')}` : '';
}

function changeTable(changes: readonly Change[], applied: boolean): string {
  const header = applied ? ['Setting', 'Before', 'After', 'Note'] : ['Setting', 'Live', 'Desired', 'Note'];
  return table(
    header,
    changes.map((c) => [codeText(c.path), valueCell(c.before), valueCell(c.after), noteCell(c)]),
  );
}

/** The change tables, split into reverted live edits and PR changes on a three-way plan. */
function changeSections(report: RunReport): string[] {
  if (report.changes.length === 0) return [];
  const applied = report.outcome === 'applied';
  if (!report.threeWay) return [changeTable(report.changes, applied)];
  const drift = report.changes.filter((c) => c.source === 'drift');
  const fromPr = report.changes.filter((c) => c.source !== 'drift');
  const sections: string[] = [];
  if (drift.length > 0) {
    sections.push(
      `#### ⚠️ Live edits this merge will revert (${drift.length})\n\nThese settings were changed in LeadConduit outside ${escapeText(report.file)}; this pull request does not touch them, but applying it puts them back to the file's values. Update the file first if the live values are right.\n\n${changeTable(drift, applied)}`,
    );
  }
  if (fromPr.length > 0) sections.push(`#### Changes in this pull request (${fromPr.length})\n\n${changeTable(fromPr, applied)}`);
  return sections;
}

function facts(report: RunReport): string {
  const rows: string[][] = [];
  if (report.account) {
    rows.push(['Account', `${escapeText(report.account.name ?? 'no name')} (${codeText(report.account.id)})`]);
  }
  rows.push(['Mode', `${codeText(report.mode)}`], ['File', `${codeText(report.file)}`]);
  if (report.trigger) {
    const t = report.trigger;
    const pr = t.pullRequest ? `, pull request [#${t.pullRequest.number}](${t.pullRequest.url})` : '';
    const run = t.runUrl ? `, [run](${t.runUrl})` : '';
    rows.push(['Triggered by', `${escapeText(t.actor || 'unknown')} (${escapeText(t.event)}, commit ${codeText(t.commit.slice(0, 12))}${pr}${run})`]);
  }
  rows.push(['LeadConduit API', `${codeText(report.baseUrl)}`]);
  return table(['', ''], rows);
}

function problemList(problems: readonly Problem[], file: string): string {
  return problems.map((p) => `- ${escapeText(`${file}:${p.line}:${p.column}`)}${p.path ? ` ${codeText(p.path)}` : ''}: ${escapeText(p.message)}`).join('\n');
}

/** The job summary: verdict first, then account, mode, changes, the exact request, the API. */
export function renderSummary(report: RunReport): string {
  const parts: string[] = [`### ${escapeHeadline(headline(report))}`];
  for (const note of report.notes) parts.push(`> ${escapeText(note)}`);
  if (report.errorDetails?.length) parts.push(report.errorDetails.map((d) => `- ${escapeText(d)}`).join('\n'));
  if (report.problems?.length) parts.push(problemList(report.problems, report.file));
  if (report.mismatches?.length) {
    parts.push(
      `Settings that do not match the file after the update:\n\n${table(
        ['Setting', 'Expected', 'Account has'],
        report.mismatches.map((m) => [codeText(m.path), valueCell(m.expected), valueCell(m.actual)]),
      )}`,
    );
  }
  parts.push(facts(report));
  parts.push(...changeSections(report));
  if (report.requestBody && Object.keys(report.requestBody).length > 0) {
    const label = report.bodySent ? 'The request sent: PUT /account' : 'The request apply will send: PUT /account';
    parts.push(details(label, fenced(JSON.stringify(report.requestBody, null, 2), 'json')));
  }
  if (report.previousState) {
    parts.push(
      details(
        'Roll back: the managed settings as they were before this apply',
        `To undo this apply, commit this as ${codeText(report.file)} and merge it (destructive changes, such as deleted lead events, cannot be undone).\n\n${fenced(report.previousState, 'json')}`,
      ),
    );
  }
  if (report.driftFile) {
    parts.push(details(`${escapeText(report.file)} updated with the live values`, fenced(report.driftFile, 'json')));
  }
  return `${parts.join('\n\n')}\n`;
}

/** The PR comment body (after its hidden markers). */
export function renderComment(report: RunReport, footer: string): string {
  const parts: string[] = [`### LeadConduit account plan for ${codeText(report.file)}`, `**${escapeHeadline(headline(report))}**`];
  for (const note of report.notes) parts.push(`> ${escapeText(note)}`);
  if (report.problems?.length) parts.push(problemList(report.problems, report.file));
  if (report.account) parts.push(`Account: ${escapeText(report.account.name ?? 'no name')} (${codeText(report.account.id)})`);
  parts.push(...changeSections(report));
  if (report.outcome === 'planned') {
    const { destructive } = countChanges(report.changes);
    parts.push(
      destructive > 0
        ? `Merging applies these changes. ⚠️ ${plural(destructive, 'change is', 'changes are')} destructive: the apply refuses ${destructive === 1 ? 'it' : 'them'} unless the workflow sets <code>allow-destructive: true</code>.`
        : 'Merging applies these changes.',
    );
  }
  if (report.requestBody && Object.keys(report.requestBody).length > 0) {
    parts.push(details('The request apply will send: PUT /account', fenced(JSON.stringify(report.requestBody, null, 2), 'json')));
  }
  parts.push(`<sub>${footer}</sub>`);
  return parts.join('\n\n');
}

/** Headlines carry the error text: escape it, keep our own emoji and words readable. */
function escapeHeadline(text: string): string {
  return escapeText(text).replace(/&#(\d+);/g, (entity, n: string) => (Number(n) > 0x2000 ? String.fromCodePoint(Number(n)) : entity));
}

/** The outputs' `changes` value: the contract other tooling parses. */
export function changesOutput(changes: readonly Change[]): string {
  return JSON.stringify(
    changes.map((c) => ({ path: c.path, before: c.before, after: c.after, destructive: c.destructive, ...(c.source ? { source: c.source } : {}) })),
  );
}
