import type { AccountUpdate } from './account-schema.js';
import type { Problem } from './desired-state.js';
import type { Mode } from './inputs.js';
import { codeText, details, escapeMarkup, escapeText, fenced, table } from './markdown.js';
import { countChanges, type Change, type Json, type Mismatch } from './plan.js';
import { formatTime, plural } from './wording.js';

export type Outcome =
  | 'invalid' // the file (or the inputs) are wrong; nothing was read or sent
  | 'validated' // the file is valid; no live comparison was made
  | 'no-changes'
  | 'planned'
  | 'applied'
  | 'drift' // check found the live account differs from the file
  | 'refused' // a guard stopped the apply before anything was sent
  | 'failed';

export interface TriggerInfo {
  actor: string;
  event: string;
  commit: string;
  pullRequest?: { number: number; url: string };
  runUrl?: string;
}

/** Everything a summary or a comment shows: the settings of the run and what its mode returned. */
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
  /** All the file's problems, where `problems` holds only the first. */
  problemCount?: number;
  /** What a valid file holds that it had better not (each on its line). */
  fileWarnings?: Problem[];
  /** The whole explanation of a failure or refusal: what happened, why, what to do. */
  error?: string;
  /** The verdict's one short sentence for a failure or refusal (default: the error's first clause). */
  reason?: string;
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

/** The verdict's short sentence: the given reason, or the error's first clause ("X failed: details" -> "X failed"). */
export function shortReason(report: Pick<RunReport, 'reason' | 'error'>): string {
  if (report.reason) return report.reason;
  const error = report.error ?? 'the run failed';
  const end = /(?::\s|\.\s|\.$)/.exec(error);
  const first = end ? error.slice(0, end.index) : error;
  return first.length > 160 ? `${first.slice(0, 159)}…` : first;
}

/** The first line: the verdict and one short sentence, or its counts. */
export function headline(report: RunReport): string {
  const { total, destructive } = countChanges(report.changes);
  const counts = `${plural(total, 'change')}, ${destructive} destructive`;
  const file = report.file;
  switch (report.outcome) {
    case 'invalid':
      return report.problems?.length
        ? `❌ Invalid: ${plural(report.problemCount ?? report.problems.length, 'problem')} in ${file}`
        : `❌ Invalid input: ${shortReason(report)}`;
    case 'validated':
      return `✅ Valid: ${file} passed validation; the live account was not compared`;
    case 'no-changes':
      return report.mode === 'apply' ? `✅ Nothing to apply: the live account already matches ${file}` : `✅ No changes: the live account matches ${file}`;
    case 'planned':
      return `📝 Plan: ${counts}${destructive > 0 ? ' ⚠️' : ''}`;
    case 'applied':
      return `✅ Applied: ${counts}`;
    case 'drift':
      return `⚠️ Drift: the live account differs from ${file} in ${plural(total, 'setting')}`;
    case 'refused':
      return `⛔ Refused: ${shortReason(report)}`;
    case 'failed':
      return `❌ Failed: ${shortReason(report)}`;
  }
}

/**
 * Under the verdict of a failure: the whole explanation, and whether LeadConduit was sent
 * anything, said once (many messages say it already).
 */
function explanation(report: RunReport, max: number): string[] {
  if (!report.error || report.problems?.length)
    return report.problems?.length ? [escapeText(`Nothing was sent. Each problem is annotated on its line of ${report.file}:`)] : [];
  const parts = [escapeText(cut(report.error, max))];
  if (!report.bodySent && !/nothing was (sent|changed|written)/i.test(report.error)) parts.push('Nothing was sent to LeadConduit.');
  return parts;
}

/** Text cut to `max` characters (raw, before escaping), with an ellipsis. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

function valueCell(value: Json, max: number): string {
  if (value === null) return '<em>not set</em>';
  return codeText(cut(JSON.stringify(value) ?? 'undefined', max));
}

function noteCell(change: Change): string {
  return change.destructive ? `⚠️ **Destructive:** ${escapeText(change.warning ?? 'cannot be undone')}` : '';
}

function changeTable(changes: readonly Change[], applied: boolean, max: number): string {
  const header = applied ? ['Setting', 'Before', 'After', 'Note'] : ['Setting', 'Live', 'Desired', 'Note'];
  return table(
    header,
    changes.map((c) => [codeText(c.path), valueCell(c.before, max), valueCell(c.after, max), noteCell(c)]),
  );
}

/** The change tables, split into reverted live edits and PR changes on a three-way plan. */
function changeSections(report: RunReport, max: number): string[] {
  if (report.changes.length === 0) return [];
  const applied = report.outcome === 'applied';
  if (!report.threeWay) return [changeTable(report.changes, applied, max)];
  const drift = report.changes.filter((c) => c.source === 'drift');
  const fromPr = report.changes.filter((c) => c.source !== 'drift');
  const sections: string[] = [];
  if (drift.length > 0) {
    sections.push(
      `#### ⚠️ Live edits this merge will revert (${drift.length})\n\nThese settings were changed in LeadConduit outside ${codeText(report.file)}; this pull request does not touch them, but applying it puts them back to the file's values. Update the file first if the live values are right.\n\n${changeTable(drift, applied, max)}`,
    );
  }
  if (fromPr.length > 0) sections.push(`#### Changes in this pull request (${fromPr.length})\n\n${changeTable(fromPr, applied, max)}`);
  return sections;
}

function accountText(account: NonNullable<RunReport['account']>, max: number): string {
  return `${escapeText(cut(account.name ?? 'no name', max))} (${codeText(account.id)})`;
}

/** The run's facts as a list: the account, the mode, the file, what triggered it, the API. */
function facts(report: RunReport, max: number): string {
  const rows: Array<[string, string]> = [];
  if (report.account) rows.push(['Account', accountText(report.account, max)]);
  rows.push(['Mode', `${codeText(report.mode)}`], ['File', `${codeText(report.file)}`]);
  if (report.trigger) {
    const t = report.trigger;
    const pr = t.pullRequest ? `, pull request [#${t.pullRequest.number}](${t.pullRequest.url})` : '';
    const run = t.runUrl ? `, [run](${t.runUrl})` : '';
    rows.push(['Triggered by', `${escapeText(cut(t.actor || 'unknown', max))} (${escapeText(t.event)}, commit ${codeText(t.commit.slice(0, 12))}${pr}${run})`]);
  }
  rows.push(['LeadConduit API', `<code>${escapeMarkup(report.baseUrl)}</code>`]);
  return rows.map(([name, value]) => `- **${name}:** ${value}`).join('\n');
}

/** What merging a plan does, said where the plan is shown. */
function mergeNote(report: RunReport): string | undefined {
  if (report.outcome !== 'planned') return undefined;
  const { total, destructive } = countChanges(report.changes);
  if (destructive === 0) return 'Merging applies these changes.';
  const allow = 'unless the workflow sets <code>allow-destructive: true</code>';
  if (destructive === total)
    return `⚠️ Merging applies nothing as it stands: the apply refuses ${total === 1 ? 'this destructive change' : `these ${total} destructive changes`} ${allow}.`;
  return `Merging applies these changes, except ⚠️ ${destructive === 1 ? 'the destructive one' : `the ${destructive} destructive ones`}: the apply refuses ${destructive === 1 ? 'it' : 'them'} ${allow}.`;
}

function problemList(report: RunReport, max: number): string {
  const problems = report.problems ?? [];
  const lines = problems.map(
    (p) => `- ${escapeText(`${report.file}:${p.line}:${p.column}`)}${p.path ? ` ${codeText(cut(p.path, max))}` : ''}: ${escapeText(cut(p.message, max))}`,
  );
  const more = (report.problemCount ?? problems.length) - problems.length;
  if (more > 0) lines.push(`- …and ${plural(more, 'more problem')} not shown: fix these first, then run again.`);
  return lines.join('\n');
}

function notes(report: RunReport, max: number): string[] {
  const warnings = (report.fileWarnings ?? []).map((w) => `> ⚠️ ${escapeText(cut(`${report.file}:${w.line}:${w.column}: ${w.message}`, max))}`);
  return [...warnings, ...report.notes.map((note) => `> ${escapeText(cut(note, max))}`)];
}

/**
 * GitHub drops a job summary over 1 MiB. The summary stays under this many bytes whatever the file
 * or the answers held: long values are cut, then the files are left to RUNNER_TEMP (their outputs).
 */
export const SUMMARY_LIMIT = 1_000_000;

/** The job summary: verdict first, then account, mode, changes, the exact request, the API; under SUMMARY_LIMIT bytes. */
export function renderSummary(report: RunReport, limit = SUMMARY_LIMIT): string {
  for (const max of [Number.POSITIVE_INFINITY, 10_000, 1_000, 100]) {
    const summary = summaryAt(report, max, max === Number.POSITIVE_INFINITY);
    if (Buffer.byteLength(summary) <= limit) return summary;
  }
  return `### ${escapeHeadline(cut(headline(report), 300))}\n\nThis run's report is too large for a job summary: see the run's log.\n`;
}

function summaryAt(report: RunReport, max: number, withFiles: boolean): string {
  const parts: string[] = [`### ${escapeHeadline(headline(report))}`, ...explanation(report, max), ...notes(report, max)];
  if (report.errorDetails?.length) parts.push(report.errorDetails.map((d) => `- ${escapeText(cut(d, max))}`).join('\n'));
  if (report.problems?.length) parts.push(problemList(report, max));
  if (report.mismatches?.length) {
    parts.push(
      `Settings that do not match the file after the update:\n\n${table(
        ['Setting', 'Expected', 'Account has'],
        report.mismatches.map((m) => [codeText(m.path), valueCell(m.expected, max), valueCell(m.actual, max)]),
      )}`,
    );
  }
  parts.push(facts(report, max));
  parts.push(...changeSections(report, max));
  const merging = mergeNote(report);
  if (merging) parts.push(merging);
  if (!withFiles) {
    parts.push('<em>Long values are cut short here, and the request body and files are left out: they are too large for a job summary.</em>');
    return `${parts.join('\n\n')}\n`;
  }
  if (report.requestBody && Object.keys(report.requestBody).length > 0) {
    const label = report.bodySent ? 'The request sent: PUT /account' : 'The request the apply will send: PUT /account';
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

/**
 * GitHub refuses a comment body over 65,536 characters. The comment stays well under it, with
 * room for the hidden markers and an apply outcome added on top later.
 */
export const COMMENT_LIMIT = 60_000;

/**
 * The PR comment body (after its hidden markers), at most `limit` characters: when the plan does
 * not fit, long values are cut with an ellipsis (the job summary keeps them whole), then the
 * request body is left out, and as a last resort only the verdict and a pointer to the summary stay.
 */
export function renderComment(report: RunReport, footer: string, limit = COMMENT_LIMIT): string {
  for (const max of [Number.POSITIVE_INFINITY, 2_000, 200, 40]) {
    const body = commentAt(report, footer, max, max === Number.POSITIVE_INFINITY || max >= 2_000);
    if (body.length <= limit) return body;
  }
  return [
    `### LeadConduit account plan for ${codeText(report.file)}`,
    `**${escapeHeadline(cut(headline(report), 300))}**`,
    'This plan is too long for a pull request comment: the whole of it is in the job summary of the run below.',
    `<sub>${footer}</sub>`,
  ].join('\n\n');
}

function commentAt(report: RunReport, footer: string, max: number, withBody: boolean): string {
  const cutShort = max !== Number.POSITIVE_INFINITY;
  const parts: string[] = [`### LeadConduit account plan for ${codeText(report.file)}`, `**${escapeHeadline(headline(report))}**`];
  parts.push(...explanation(report, max), ...notes(report, max));
  if (report.problems?.length) parts.push(problemList(report, max));
  if (report.account) parts.push(`Account: ${accountText(report.account, max)}`);
  parts.push(...changeSections(report, max));
  const merging = mergeNote(report);
  if (merging) parts.push(merging);
  if (withBody && report.requestBody && Object.keys(report.requestBody).length > 0) {
    parts.push(details('The request the apply will send: PUT /account', fenced(JSON.stringify(report.requestBody, null, 2), 'json')));
  }
  if (cutShort) parts.push('<em>Long values are cut short here; the job summary of the run below shows them whole.</em>');
  parts.push(`<sub>${footer}</sub>`);
  return parts.join('\n\n');
}

const OUTCOME_START = '<!-- leadconduit-account-action:outcome -->';
const OUTCOME_END = '<!-- /leadconduit-account-action:outcome -->';

/**
 * The apply's outcome, for the top of the merged pull request's comment: applied (when, which
 * commit, the run), failed (why; whether anything was sent) or refused (the guard that stopped it).
 */
export function renderOutcome(report: RunReport, when: Date): string {
  const time = formatTime(when);
  const commit = report.trigger ? ` from commit ${codeText(report.trigger.commit.slice(0, 12))}` : '';
  const run = report.trigger?.runUrl ? ` ([run](${report.trigger.runUrl}))` : '';
  const max = 1_500;
  switch (report.outcome) {
    case 'applied':
      return `### ✅ Applied to LeadConduit\n\n${plural(report.changes.length, 'change was', 'changes were')} applied at ${time}${commit}${run}; the account now matches ${codeText(report.file)}.`;
    case 'no-changes':
      return `### ✅ Nothing to apply\n\nAt ${time}${commit}${run} the account already matched ${codeText(report.file)}; nothing was sent.`;
    case 'refused':
      return `### ⛔ Apply refused: ${escapeText(cut(shortReason(report), 300))}\n\n${escapeText(cut(report.error ?? '', max))}\n\nNothing was sent to LeadConduit (${time}${commit}${run}).`;
    default: {
      const sent = report.bodySent
        ? 'The update was sent: it may or may not have been applied. Re-run the job, which reads the account again and sends only what still differs.'
        : 'Nothing was sent to LeadConduit.';
      return `### ❌ Apply failed: ${escapeText(cut(shortReason(report), 300))}\n\n${escapeText(cut(report.error ?? '', max))}\n\n${sent} (${time}${commit}${run})`;
    }
  }
}

/**
 * A comment body with the outcome block placed right after its hidden markers, replacing an earlier
 * outcome; the plan below stays for the record.
 */
export function withOutcome(body: string, outcome: string): string {
  const lines = body.split('\n');
  let markers = 0;
  while (markers < lines.length && /^<!-- leadconduit-account-action:(comment|record)/.test(lines[markers] ?? '')) markers++;
  const head = lines.slice(0, markers).join('\n');
  let rest = lines.slice(markers).join('\n');
  const start = rest.indexOf(OUTCOME_START);
  const end = rest.indexOf(OUTCOME_END);
  if (start >= 0 && end > start) rest = rest.slice(0, start) + rest.slice(end + OUTCOME_END.length);
  return `${head}\n${OUTCOME_START}\n${outcome}\n\n---\n${OUTCOME_END}\n${rest.replace(/^\n+/, '')}`;
}

/**
 * Headlines carry the error text: escape it, and show the verdict's emoji (and other pictographs)
 * as themselves. Never the invisible format characters below U+2600 (bidirectional overrides,
 * line separators) nor a byte order mark or annotation characters.
 */
function escapeHeadline(text: string): string {
  return escapeText(text).replace(/&#(\d+);/g, (entity, digits: string) => {
    const n = Number(digits);
    const pictograph = n >= 0x2600 && n !== 0xfeff && !(n >= 0xfff9 && n <= 0xfffb);
    return pictograph ? String.fromCodePoint(n) : entity;
  });
}

/** The outputs' `changes` value: the contract other tooling parses. */
export function changesOutput(changes: readonly Change[]): string {
  return JSON.stringify(
    changes.map((c) => ({ path: c.path, before: c.before, after: c.after, destructive: c.destructive, ...(c.source ? { source: c.source } : {}) })),
  );
}
