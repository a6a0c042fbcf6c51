import { previousState } from '../plan.js';
import { findReviewedPlan } from '../plan-comment.js';
import { describeGitHubError } from '../pull-request.js';
import type { TriggerInfo } from '../report.js';
import { sameChanges } from '../reviewed-plan.js';
import { applyPlan, type Plan, type Refusal } from '../steps.js';
import { formatStateFile } from '../state-files.js';
import { writeRunnerTempFile } from '../workspace.js';
import { failedResult, loadDesiredState, missingApiKey, planFacts, readLivePlan, type ModeResult, type Run } from './run.js';

/**
 * Apply (push to main, workflow_dispatch): the one PUT /account, after the destructive and the
 * reviewed-plan guards, then the read-after-write check. Every apply leaves a rollback file.
 */
export async function applyMode(run: Run): Promise<ModeResult> {
  const { settings, context, log } = run;
  const desired = await loadDesiredState(run);
  if (settings.apiKey === '') throw missingApiKey(settings.mode);
  const plan = await readLivePlan(run, desired);

  const trigger: TriggerInfo = {
    actor: context.actor,
    event: context.eventName,
    commit: context.sha,
    ...(context.pullRequest?.url ? { pullRequest: { number: context.pullRequest.number, url: context.pullRequest.url } } : {}),
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  };
  if (plan.changes.length === 0) {
    log.info('Nothing to apply: the live account matches the file.');
    return { ...planFacts(plan), trigger, notes: [], outcome: 'no-changes' };
  }

  // What is known so far, for the summary whatever the outcome.
  const notes: string[] = [];
  let pullRequest = trigger.pullRequest;
  let sent: Pick<ModeResult, 'previousState' | 'bodySent' | 'outputs'> = {};
  const known = (): ModeResult => ({ ...planFacts(plan), ...sent, trigger: { ...trigger, ...(pullRequest ? { pullRequest } : {}) }, notes, outcome: 'failed' });

  try {
    const applied = await applyPlan(plan, {
      step: (name, work) => log.group(name, work),
      client: run.leadconduit(),
      allowDestructive: settings.allowDestructive,
      allowDestructiveHint: 'set allow-destructive: true for this run',
      guards: [
        async () => {
          const review = await reviewedPlanGuard(run, plan);
          notes.push(...review.notes);
          pullRequest = review.pullRequest ?? pullRequest;
          return review.refusal;
        },
      ],
      beforeSend: async () => {
        const before = formatStateFile(previousState(desired.state, plan.live));
        const path = await writeRunnerTempFile(context.runnerTemp, settings.repoPath, 'previous', log.scrub(before));
        log.info(`Sending PUT /account with ${Object.keys(plan.body).join(', ')}.`);
        sent = { previousState: before, bodySent: true, outputs: path ? { previousStateFile: path } : {} };
      },
    });
    switch (applied.status) {
      case 'refused':
        return { ...known(), error: applied.refusal.message, failure: applied.refusal.message };
      case 'mismatched':
        return { ...known(), mismatches: applied.mismatches, error: applied.message, failure: applied.message };
      case 'applied':
        log.info(`Applied ${plan.changes.length} change(s); the account now matches ${settings.file}.`);
        return { ...known(), outcome: 'applied' };
    }
  } catch (error) {
    return failedResult(error, known(), log);
  }
}

interface ReviewCheck {
  notes: string[];
  refusal?: Refusal;
  /** The merged pull request the commit belongs to, when one was found. */
  pullRequest?: { number: number; url: string };
}

/**
 * After a merge, the changes about to be sent must be the ones reviewers saw in the PR comment.
 * A live edit made after the review changes the plan, and then nothing is sent.
 */
async function reviewedPlanGuard(run: Run, plan: Plan): Promise<ReviewCheck> {
  const { context, settings, log } = run;
  const notes: string[] = [];
  const refuse = (message: string): ReviewCheck => ({ notes, refusal: { guard: 'reviewed-plan', message } });
  const pass = (note: string, pullRequest?: ReviewCheck['pullRequest']): ReviewCheck => ({ notes: [...notes, note], ...(pullRequest ? { pullRequest } : {}) });
  if (context.eventName !== 'push') {
    return pass(`No reviewed plan was looked for (a ${context.eventName || 'manual'} run); the changes below were applied as planned now.`);
  }
  const github = await run.github();
  if (!github) return pass('No reviewed plan was found (no github-token or repository); applied without comparing with a reviewed plan.');
  let lookup: Awaited<ReturnType<typeof findReviewedPlan>>;
  try {
    lookup = await findReviewedPlan(github, context.sha, settings.repoPath);
  } catch (error) {
    // Not "no reviewed plan": there may be one we cannot see. Sending unchecked changes after a
    // merge is what this guard exists to stop, so stop unless told otherwise.
    const reason = describeGitHubError('look up the reviewed plan', error);
    if (!settings.allowUnreviewedChanges) {
      return refuse(
        `${reason} Nothing was sent: the changes could not be compared with the plan reviewed on the pull request. Re-run the job, or set allow-unreviewed-changes: true.`,
      );
    }
    log.warning(reason);
    return pass(`${reason} Applied without comparing with a reviewed plan because allow-unreviewed-changes is true.`);
  }
  if (lookup.found === 'no-pull-request') {
    return pass('No reviewed plan was found: this commit belongs to no pull request (a direct push). Applied without comparing with a reviewed plan.');
  }
  const { pullRequest } = lookup;
  const prNumber = pullRequest.number;
  if (lookup.found === 'no-plan') {
    return pass(
      `No reviewed plan was found on pull request #${prNumber} (no plan comment for this file). Applied without comparing with a reviewed plan.`,
      pullRequest,
    );
  }
  if (sameChanges(lookup.changes, plan.changes)) return pass(`The changes match the plan reviewed on pull request #${prNumber}.`, pullRequest);
  const show = (list: readonly { path: string; before: unknown; after: unknown }[]) =>
    list.length === 0 ? 'no changes' : list.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');
  const message = `The changes to send differ from the plan reviewed on pull request #${prNumber}: reviewed ${show(lookup.changes)}; now ${show(plan.changes)}. The live account changed after the review.`;
  if (settings.allowUnreviewedChanges) {
    log.warning(message);
    return pass(`${message} Applied anyway because allow-unreviewed-changes is true.`, pullRequest);
  }
  return {
    ...refuse(`${message} Nothing was sent. Re-run the plan (push to a pull request) and review it, or set allow-unreviewed-changes: true.`),
    pullRequest,
  };
}
