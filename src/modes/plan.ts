import { parseDesiredState, type DesiredStateFile } from '../desired-state.js';
import type { RunContext } from '../github-context.js';
import { groupIgnored, writeRecord } from '../plan-comment.js';
import { classifyChanges, type Change } from '../plan.js';
import { describeGitHubError, isPermissionDenied } from '../github-errors.js';
import type { GitHubApi } from '../github-api.js';
import { renderComment } from '../report-comment.js';
import { signingKey } from '../reviewed-plan.js';
import type { Plan } from '../steps.js';
import { formatTime, plural } from '../wording.js';
import { failedResult, loadDesiredState, planFacts, readLivePlan, type ModeResult, type Run } from './run.js';

type PullRequest = NonNullable<RunContext['pullRequest']>;

/**
 * Plan (pull requests): what merging would change, in the summary, as annotations on the file and
 * in the pull request's one comment, the action's signed record of what reviewers saw. Every run
 * rewrites that comment, a failed one included (then no plan stands), so the comment never shows a
 * plan that no longer holds. Sends nothing to LeadConduit. A run without the API key never comes
 * here (offline.ts): it could sign nothing, so it leaves the comment as it is.
 */
export async function planMode(run: Run): Promise<ModeResult> {
  const { settings, context, log } = run;
  let result: ModeResult;
  try {
    const desired = await loadDesiredState(run);
    result = await planSteps(run, desired);
  } catch (error) {
    result = failedResult(error, {}, log);
  }
  const pr = context.pullRequest;
  if (!pr) return result;
  if (!settings.comment) {
    // Turning the comment off is a choice, so the run stays green; but its merge has no record to
    // compare with, and the apply will refuse it: say so before the merge, not after.
    const note =
      'The plan comment is turned off (comment: false): the plan is in this job summary only, and the apply after the merge refuses it for want of a reviewed plan on record, unless that workflow sets allow-unreviewed-changes: true or the change is applied with a manual (workflow_dispatch) run.';
    log.warning(note);
    return { ...result, notes: [...result.notes, note] };
  }
  return log.group('Comment', () => comment(run, pr, result));
}

async function planSteps(run: Run, desired: DesiredStateFile): Promise<ModeResult> {
  const { context, log } = run;
  const plan = await readLivePlan(run, desired);
  const result: ModeResult = { ...planFacts(plan), outcome: plan.changes.length > 0 ? 'planned' : 'no-changes', notes: accountNotes(plan) };
  for (const note of result.notes) log.warning(note);
  const pr = context.pullRequest;
  if (!pr) return result;
  const github = await run.github();
  if (github) {
    const split = await log.group('Plan', () => splitThreeWay(run, github, pr.baseSha, plan.changes));
    Object.assign(result, split, { notes: [...result.notes, ...split.notes] });
  }
  annotateChanges(run, desired, result.changes);
  return result;
}

/** Said at plan time what the apply would refuse, so reviewers learn it before the merge. */
function accountNotes(plan: Plan): string[] {
  if (plan.via !== 'GET /user' || (plan.userAccounts ?? 1) <= 1) return [];
  return [
    `The apply will refuse this plan: LeadConduit does not serve GET /account here and the API key's user has ${plan.userAccounts} accounts, so the account PUT /account would change cannot be confirmed to be ${plan.live.id}. Use the account's own API key, or a key whose user has only this account.`,
  ];
}

/**
 * The comment step: the signed plan, or the failure with no plan. A same-repository pull request
 * whose comment cannot be written fails (its merge would be refused for want of a record); a fork's
 * read-only token only warns, since its merge is applied by a maintainer's manual run.
 */
async function comment(run: Run, pr: PullRequest, result: ModeResult): Promise<ModeResult> {
  const { settings, context, log } = run;
  const github = await run.github();
  if (!github || !context.repository) {
    const reason = 'Could not comment on the pull request: the github-token input is empty (or the repository is unknown).';
    return notOnRecord(run, pr, result, reason, ' Leave github-token at its default (${{ github.token }}).');
  }
  const stands = result.outcome === 'planned' || result.outcome === 'no-changes';
  const footer = `${stands ? 'Plan' : 'Run'} for commit ${(pr.headSha ?? context.sha).slice(0, 12)} · updated ${formatTime(new Date())}${context.runUrl ? ` · [run](${context.runUrl})` : ''}`;
  const report = log.scrubDeep({ ...result, mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl });
  const place = {
    github,
    scope: { repository: `${context.repository.owner}/${context.repository.repo}`, pullRequest: pr.number, file: settings.repoPath },
    key: signingKey(settings.apiKey),
  };
  try {
    // The record holds the changes as the comment shows them: scrubbed, so that no secret a value might hold is kept in it.
    const written = await writeRecord(place, stands ? report.changes : null, (limit) => log.scrub(renderComment(report, footer, limit)));
    log.info(`${written.created ? 'Created' : 'Updated'} the ${stands ? 'plan' : 'failure'} comment: ${written.url}`);
    return { ...result, notes: [...result.notes, ...groupIgnored(written.ignored)], outputs: { commentUrl: written.url } };
  } catch (error) {
    const reason = describeGitHubError('comment on the pull request', error, 'The token may not write comments.');
    const fix = isPermissionDenied(error)
      ? ' Give the job permission to write it: add "permissions:" with "contents: read" and "pull-requests: write" to the workflow or the job.'
      : '';
    return notOnRecord(run, pr, result, reason, fix);
  }
}

/**
 * The comment could not be written. A fork's read-only token only warns, since its merge is
 * applied by a maintainer's manual run; on a pull request of this repository the step fails, as
 * its merge would be refused for want of a record.
 */
function notOnRecord(run: Run, pr: PullRequest, result: ModeResult, reason: string, fix: string): ModeResult {
  const { log } = run;
  if (pr.fromFork) {
    const warning = `${reason} This pull request comes from a fork, whose token GitHub makes read-only: the plan is in this job summary only. Its merge has no reviewed plan on record, so a maintainer applies it with a manual (workflow_dispatch) run.`;
    log.warning(warning);
    return { ...result, notes: [...result.notes, warning] };
  }
  const message = `${reason} The plan is not on record on the pull request: its merge is refused, unless an earlier plan recorded there has the same changes.${fix}`;
  if (result.failure !== undefined) {
    log.warning(message);
    return { ...result, notes: [...result.notes, message] };
  }
  return { ...result, outcome: 'failed', reason: 'the plan comment could not be written', error: message, failure: message };
}

/** Changes the pull request makes versus live edits it would revert, from the file on the base commit. */
async function splitThreeWay(
  run: Run,
  github: GitHubApi,
  baseSha: string | undefined,
  changes: Change[],
): Promise<{ changes: Change[]; threeWay?: true; notes: string[] }> {
  const { settings, log } = run;
  if (!baseSha) {
    return { changes, notes: ['The base commit of the pull request is unknown, so changes are not split into pull-request changes and live edits.'] };
  }
  let baseText: string | undefined;
  try {
    baseText = await github.readFile(settings.repoPath, baseSha);
  } catch (error) {
    const reason = describeGitHubError(`read ${settings.repoPath} on the base commit`, error, 'Give the job "contents: read" permission.');
    log.warning(reason);
    return { changes, notes: [`${reason} Changes are shown without telling pull-request changes from live edits.`] };
  }
  if (baseText === undefined) return { changes: classifyChanges(changes, undefined), threeWay: true, notes: [] };
  const base = parseDesiredState(Buffer.from(baseText), settings.repoPath);
  if (!base.ok) {
    return {
      changes,
      notes: [`${settings.repoPath} on the base branch is not a valid desired-state file, so changes are not split into pull-request changes and live edits.`],
    };
  }
  const classified = classifyChanges(changes, base.desired.state);
  const drift = classified.filter((c) => c.source === 'drift');
  if (drift.length > 0) {
    log.warning(
      `${plural(drift.length, 'setting was', 'settings were')} changed in LeadConduit outside the file; merging reverts them: ${drift.map((c) => c.path).join(', ')}.`,
    );
  }
  return { changes: classified, threeWay: true, notes: [] };
}

/** Each change on its line in "Files changed": a notice, or a warning when destructive. */
function annotateChanges(run: Run, desired: DesiredStateFile, changes: readonly Change[]): void {
  for (const change of changes) {
    const { line, column } = desired.source.locate(change.path.split('.'));
    const title = `will change: ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`;
    const props = { file: run.settings.repoPath, startLine: line, startColumn: column, title };
    if (change.destructive) run.log.warning(`${change.path}: destructive: ${change.warning ?? ''}`, props);
    else run.log.notice(`${change.path} ${title}`, props);
  }
}
