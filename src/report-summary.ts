/**
 * The job summary: the whole report, verdict first, kept under the 1 MiB GitHub takes (long values
 * are cut, then the request body and files left out). Pure.
 */
import { jsonText } from './json-text.js';
import { codeText, details, escapeMarkup, escapeText, fenced } from './markdown.js';
import { accountText, changeSections, escapeHeadline, explanation, mergeNote, mismatchTable, notes, problemList } from './report-sections.js';
import { headline, type RunReport } from './report.js';
import { cut } from './wording.js';

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
  if (report.problems?.length) parts.push(problemList(report, max));
  const mismatches = mismatchTable(report, max);
  if (mismatches) parts.push(mismatches);
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
    parts.push(details(label, fenced(jsonText(report.requestBody, 2), 'json')));
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
