import type { DesiredStateFile } from '../desired-state.js';
import { classifyChanges, type Change } from '../plan.js';
import { postPlanComment } from '../plan-comment.js';
import { describeGitHubError, type GitHubApi } from '../pull-request.js';
import { parseDesiredState } from '../desired-state.js';
import { renderComment } from '../report.js';
import { loadDesiredState, planFacts, readLivePlan, type ModeResult, type Run } from './run.js';

/**
 * Plan (pull requests): what merging would change, in the summary, as annotations on the file and
 * in the pull request's one plan comment. Sends nothing to LeadConduit.
 */
export async function planMode(run: Run): Promise<ModeResult> {
  const { settings, context, log } = run;
  const desired = await loadDesiredState(run);
  if (settings.apiKey === '') {
    const note =
      'The live account was not compared: the api-key input is empty. GitHub gives no secrets to pull requests from forks; the file was validated only. Otherwise, pass the LeadConduit API key as api-key: ${{ secrets.LEADCONDUIT_API_KEY }}.';
    log.warning(note);
    return { outcome: 'validated', changes: [], notes: [note] };
  }
  const plan = await readLivePlan(run, desired);
  const result: ModeResult = { ...planFacts(plan), outcome: plan.changes.length > 0 ? 'planned' : 'no-changes', notes: [] };
  const pr = context.pullRequest;
  if (!pr) return result;

  const github = await run.github();
  if (github) Object.assign(result, await log.group('Plan', () => splitThreeWay(run, github, pr.baseSha, plan.changes)));
  annotateChanges(run, desired, result.changes);
  if (!settings.comment) return result;
  if (!github) {
    log.warning('Could not comment on the pull request: no github-token or repository; the summary has the plan.');
    return result;
  }
  return log.group('Comment', async () => {
    const footer = `Plan for commit ${(pr.headSha ?? context.sha).slice(0, 12)} · updated ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}${context.runUrl ? ` · [run](${context.runUrl})` : ''}`;
    const report = { ...result, mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl };
    try {
      const comment = await postPlanComment(github, pr.number, settings.repoPath, result.changes, (markers) =>
        log.scrub(`${markers}\n${renderComment(report, footer)}`),
      );
      log.info(`${comment.created ? 'Created' : 'Updated'} the plan comment: ${comment.url}`);
      return { ...result, outputs: { commentUrl: comment.url } };
    } catch (error) {
      log.warning(describeGitHubError('comment on the pull request', error));
      return result;
    }
  });
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
    const reason = describeGitHubError(`read ${settings.repoPath} on the base commit`, error);
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
    log.warning(`${drift.length} setting(s) were changed in LeadConduit outside the file; merging reverts them: ${drift.map((c) => c.path).join(', ')}.`);
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
