/**
 * The pull request comment's text: the plan under GitHub's 65,536-character limit, and the apply's
 * outcome block that goes on top of it after a merge. Pure; plan-comment.ts writes it.
 */
import { jsonText } from './json-text.js';
import { codeText, details, escapeText, fenced } from './markdown.js';
import { accountText, changeSections, escapeHeadline, explanation, mergeNote, mismatchTable, notes, problemList } from './report-sections.js';
import { failureText, headline, type RunReport } from './report.js';
import { cut, formatTime, plural } from './wording.js';

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
    const body = commentAt(report, footer, max, max >= 2_000);
    if (body.length <= limit) return body;
  }
  return [
    ...top(report, 300),
    `This ${failed(report) ? 'report' : 'plan'} is too long for a pull request comment: the whole of it is in the job summary of the run below.`,
    `<sub>${footer}</sub>`,
  ].join('\n\n');
}

/** A run that made no plan: its comment shows the failure in place of one. */
function failed(report: RunReport): boolean {
  return report.outcome === 'failed' || report.outcome === 'invalid' || report.outcome === 'refused';
}

/**
 * The comment's first lines. A plan: its title, then the verdict. A failure replaces the plan,
 * verdict first, then which file's plan it is (a matrix writes one comment per file).
 */
function top(report: RunReport, max: number): string[] {
  const verdict = escapeHeadline(cut(headline(report), max));
  const file = `LeadConduit account plan for ${codeText(report.file)}`;
  return failed(report) ? [`### ${verdict}`, file] : [`### ${file}`, `**${verdict}**`];
}

function commentAt(report: RunReport, footer: string, max: number, withBody: boolean): string {
  const cutShort = max !== Number.POSITIVE_INFINITY;
  const parts: string[] = top(report, Number.POSITIVE_INFINITY);
  parts.push(...explanation(report, max), ...notes(report, max));
  if (report.problems?.length) parts.push(problemList(report, max));
  if (report.account) parts.push(`Account: ${accountText(report.account, max)}`);
  parts.push(...changeSections(report, max));
  const merging = mergeNote(report);
  if (merging) parts.push(merging);
  if (withBody && report.requestBody && Object.keys(report.requestBody).length > 0) {
    parts.push(details('The request the apply will send: PUT /account', fenced(jsonText(report.requestBody, 2), 'json')));
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
 * Its texts are cut to `max` characters (before escaping), so that it fits on top of a long plan.
 */
export function renderOutcome(report: RunReport, at: Date, max = 1_500): string {
  const time = formatTime(at);
  const commit = report.trigger ? ` from commit ${codeText(report.trigger.commit.slice(0, 12))}` : '';
  const run = report.trigger?.runUrl ? ` ([run](${report.trigger.runUrl}))` : '';
  const when = `${time}${commit}${run}`;
  switch (report.outcome) {
    case 'applied':
      return `### ✅ Applied to LeadConduit\n\n${plural(report.changes.length, 'change was', 'changes were')} applied at ${when}; the account now matches ${codeText(report.file)}.`;
    case 'no-changes':
      return `### ✅ Nothing to apply\n\nAt ${when} the account already matched ${codeText(report.file)}; nothing was sent.`;
    case 'refused':
      return outcomeBlock('⛔ Apply refused', report, max, `Nothing was sent to LeadConduit (${when}).`, `Refused at ${when}.`);
    default: {
      // After a check that failed, LeadConduit did accept the update: what it holds is known, and shown above.
      const sent = !report.bodySent
        ? 'Nothing was sent to LeadConduit.'
        : report.mismatches?.length
          ? "LeadConduit accepted the update, but the settings above do not hold the file's values. Re-run the job, which reads the account again and sends only what still differs."
          : 'The update was sent: it may or may not have been applied. Re-run the job, which reads the account again and sends only what still differs.';
      return outcomeBlock('❌ Apply failed', report, max, `${sent} (${when})`, `Failed at ${when}.`);
    }
  }
}

/**
 * A refusal or failure: the verdict and its short reason, the rest of the explanation (never the
 * reason again), the settings that did not take, and what was sent, unless the explanation says it.
 */
function outcomeBlock(verdict: string, report: RunReport, max: number, sent: string, whenOnly: string): string {
  const { reason, detail } = failureText(report);
  const parts = [`### ${verdict}: ${escapeText(cut(reason, Math.min(300, max)))}`];
  if (detail !== '') parts.push(escapeText(cut(detail, max)));
  const mismatches = mismatchTable(report, Math.min(200, max));
  if (mismatches) parts.push(mismatches);
  parts.push(!report.bodySent && /nothing was (sent|changed)/i.test(report.error ?? '') ? whenOnly : sent);
  return parts.join('\n\n');
}

/**
 * A comment body with the outcome block placed right after its hidden markers, replacing an earlier
 * outcome; the plan below stays for the record.
 */
export function withOutcome(body: string, outcome: string): string {
  const lines = body.split('\n');
  let markers = 0;
  while (/^<!-- leadconduit-account-action:(comment|record)/.test(lines[markers] ?? '')) markers++;
  const head = lines.slice(0, markers).join('\n');
  let rest = lines.slice(markers).join('\n');
  const start = rest.indexOf(OUTCOME_START);
  const end = rest.indexOf(OUTCOME_END);
  if (start >= 0 && end > start) rest = rest.slice(0, start) + rest.slice(end + OUTCOME_END.length);
  return `${head}\n${OUTCOME_START}\n${outcome}\n\n---\n${OUTCOME_END}\n${rest.replace(/^\n+/, '')}`;
}
