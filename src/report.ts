/**
 * The run's report: what a summary or a comment shows (the settings of the run and what its mode
 * returned), its verdict line, and the `changes` output. Pure; the Markdown is in report-*.ts.
 */
import type { AccountUpdate } from './account-schema.js';
import type { Problem } from './desired-state.js';
import type { Mode } from './inputs.js';
import { countChanges, type Change, type Mismatch } from './plan.js';
import { jsonText } from './json-text.js';
import { plural } from './wording.js';

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
  /** The whole explanation of a failure or refusal, in one line: what happened, why, what to do. */
  error?: string;
  /**
   * The verdict's one short sentence for a failure or refusal. Default: the error's first clause.
   * When set, the error's first clause says the same at greater length (messages are written
   * "what happened: why. What to do."), so it is not shown again under the verdict.
   */
  reason?: string;
  /** What a report shows under the verdict, where it is not the error without its first clause. */
  detail?: string;
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

/** A headline's sentence is short: a longer first clause is cut, and goes on below. */
const REASON_MAX = 160;

/**
 * A failure as a report shows it: the verdict's one short sentence, and the explanation under it,
 * which never says that sentence again. Messages are written "what happened: why. What to do.",
 * so by default the error is split after its first clause ("X failed: it timed out. Re-run." ->
 * "X failed" and "It timed out. Re-run."); a failure whose message does not split so gives both.
 */
export function failureText(report: Pick<RunReport, 'reason' | 'detail' | 'error'>): { reason: string; detail: string } {
  const { first, rest } = splitFirstClause(report.error ?? '', REASON_MAX);
  if (!report.reason) return { reason: first || 'the run failed', detail: report.detail ?? rest };
  const reason = report.reason.length > REASON_MAX ? `${report.reason.slice(0, REASON_MAX - 1)}…` : report.reason;
  return { reason, detail: report.detail ?? rest };
}

/**
 * "X failed: why. What to do." -> "X failed" and "Why. What to do." (a plain first word
 * capitalised). A first clause longer than `max` ends at its first "; " instead, or is cut with
 * an ellipsis and goes on in the rest: together they always say the text once, whole.
 */
export function splitFirstClause(text: string, max = Number.POSITIVE_INFINITY): { first: string; rest: string } {
  const end = /(?::\s|\.\s|\.$)/.exec(text);
  let first = end ? text.slice(0, end.index) : text;
  let restStart = end ? end.index + end[0].length : text.length;
  if (first.length > max) {
    const semicolon = first.indexOf('; ');
    if (semicolon <= 0 || semicolon > max) return { first: `${text.slice(0, max - 1)}…`, rest: `…${text.slice(max - 1)}` };
    first = text.slice(0, semicolon);
    restStart = semicolon + 2;
  }
  const rest = text.slice(restStart).trim();
  // "apply mode needs..." starts a sentence of its own; "features.firehose is..." keeps its case.
  const sentence = /^[a-z]+(?:[\s,;:]|\.(?:\s|$)|$)/.test(rest);
  return { first, rest: sentence ? `${rest.charAt(0).toUpperCase()}${rest.slice(1)}` : rest };
}

/** The verdict's short sentence: the given reason, or the error's first clause ("X failed: details" -> "X failed"). */
export function shortReason(report: Pick<RunReport, 'reason' | 'detail' | 'error'>): string {
  return failureText(report).reason;
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

/** The outputs' `changes` value: the contract other tooling parses (jsonText: no raw control or bidirectional character). */
export function changesOutput(changes: readonly Change[]): string {
  return jsonText(
    changes.map((c) => ({ path: c.path, before: c.before, after: c.after, destructive: c.destructive, ...(c.source ? { source: c.source } : {}) })),
  );
}
