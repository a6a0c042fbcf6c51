/**
 * The apply's reviewed-plan guard: which merged pull request's record the changes must match
 * (looked up before anything else happens), and whether they match it. Where that cannot be
 * shown, nothing is sent unless allow-unreviewed-changes says otherwise.
 */
import { describeGitHubError } from '../github-errors.js';
import { groupIgnored, mergedPullRequest, readReviewedPlan, type ReviewedPlan, type RecordPlace } from '../plan-comment.js';
import { sameChanges, signingKey } from '../reviewed-plan.js';
import type { Plan, Refusal } from '../steps.js';
import type { Run } from './run.js';

/** After a merge: the pull request, where its record is, and the record as read (or why it could not be). */
export interface PullRequestReview {
  kind: 'pull-request';
  pullRequest: number;
  place: RecordPlace;
  reviewed?: ReviewedPlan;
  /** Reading the record failed: there may be one that cannot be seen. */
  lookupError?: unknown;
}

/** What the reviewed-plan guard has to go on, looked up before anything else happens. */
export type ReviewLookup =
  /** Nothing to compare with, by design: a manual or scheduled run, a direct push. */
  | { kind: 'no-review'; note: string }
  /** No reviewed plan can be shown, so the apply is refused (unless allow-unreviewed-changes). */
  | { kind: 'unreviewable'; reason: string; what: string; howTo: string }
  | PullRequestReview;

/**
 * Which pull request's record the changes must match. A push of a merged pull request's commit,
 * or a pull request event of a merge, has one; a manual or scheduled run applies the file as it
 * is on purpose; any other start (an unmerged pull request, another event) cannot be matched with
 * a review, so it is refused unless allow-unreviewed-changes says otherwise.
 */
export async function lookUpReview(run: Run): Promise<ReviewLookup> {
  const { context } = run;
  const event = context.eventName;
  if (event === 'workflow_dispatch' || event === 'schedule' || event === '') {
    return { kind: 'no-review', note: `No reviewed plan was looked for (a ${event || 'manual'} run); the changes below were applied as planned now.` };
  }
  const pr = context.pullRequest;
  const fromPullRequestEvent = event === 'pull_request' || event === 'pull_request_target';
  if (fromPullRequestEvent && pr && !pr.merged) {
    return {
      kind: 'unreviewable',
      reason: `pull request #${pr.number} is not merged`,
      what: `This apply runs on a ${event} event of pull request #${pr.number}, which is not merged: applying it would change the account before the change is reviewed and merged.`,
      howTo: ' Nothing was sent. Apply after the merge (on push to the default branch), or set allow-unreviewed-changes: true.',
    };
  }
  if (event !== 'push' && !(fromPullRequestEvent && pr)) {
    return {
      kind: 'unreviewable',
      reason: `a ${event} run cannot be matched with a reviewed plan`,
      what: `This apply runs on a ${event} event, which cannot be matched with a plan reviewed on a pull request.`,
      howTo:
        ' Nothing was sent. Apply on push to the default branch (after each merge) or with a manual run (workflow_dispatch), or set allow-unreviewed-changes: true.',
    };
  }
  return lookUpPullRequest(run, fromPullRequestEvent ? pr?.number : undefined);
}

/** The merged pull request (the event's, or the pushed commit's) and its record. */
async function lookUpPullRequest(run: Run, fromEvent: number | undefined): Promise<ReviewLookup> {
  const { context, settings, log } = run;
  const github = await run.github();
  if (!github || !context.repository) {
    return {
      kind: 'unreviewable',
      reason: 'no reviewed plan could be looked up',
      what: 'No reviewed plan could be looked up: the github-token input is empty (or the repository is unknown).',
      howTo: ' Nothing was sent. Leave github-token at its default (${{ github.token }}), or set allow-unreviewed-changes: true.',
    };
  }
  let pullRequest = fromEvent;
  if (pullRequest === undefined) {
    try {
      pullRequest = await mergedPullRequest(github, context.sha);
    } catch (error) {
      // Not "no reviewed plan": there may be one we cannot see.
      return {
        kind: 'unreviewable',
        reason: 'the reviewed plan could not be looked up',
        what: describeGitHubError('look up the reviewed plan', error, READ_PERMISSIONS),
        howTo: LOOKUP_FAILED,
      };
    }
  }
  if (pullRequest === undefined) {
    return {
      kind: 'no-review',
      note: 'No reviewed plan was found: this commit belongs to no pull request (a direct push). Applied without comparing with a reviewed plan.',
    };
  }
  const place: RecordPlace = {
    github,
    scope: { repository: `${context.repository.owner}/${context.repository.repo}`, pullRequest, file: settings.repoPath },
    key: signingKey(settings.apiKey),
  };
  try {
    const reviewed = await readReviewedPlan(place);
    log.info(`Pull request #${pullRequest}: ${reviewed.found === 'plan' ? 'the reviewed plan was found' : 'no reviewed plan stands'}.`);
    return { kind: 'pull-request', pullRequest, place, reviewed };
  } catch (error) {
    return { kind: 'pull-request', pullRequest, place, lookupError: error };
  }
}

export interface ReviewCheck {
  notes: string[];
  refusal?: Refusal;
}

/**
 * After a merge, the changes about to be sent must be the ones reviewers saw on the pull request,
 * as the action's own signed record says. Where that cannot be shown (no record, a failed last
 * plan, an edited comment, a live edit since the review,
 * GitHub not answering), nothing is sent unless allow-unreviewed-changes says otherwise.
 */
export function reviewedPlanGuard(run: Run, review: ReviewLookup, plan: Plan): ReviewCheck {
  const { settings, log } = run;
  /** No reviewed plan to show for these changes: refused, or applied with a note when allowed. */
  const unreviewed = (
    reason: string,
    what: string,
    howTo = ` Nothing was sent. ${HOW_TO_APPLY}`,
    allowed = 'Applied without comparing with a reviewed plan because allow-unreviewed-changes is true.',
  ): ReviewCheck => {
    if (settings.allowUnreviewedChanges) {
      log.warning(what);
      return { notes: [`${what} ${allowed}`] };
    }
    return { notes: [], refusal: { guard: 'reviewed-plan', reason, message: `${what}${howTo}` } };
  };

  if (review.kind === 'no-review') return { notes: [review.note] };
  if (review.kind === 'unreviewable') return unreviewed(review.reason, review.what, review.howTo);
  const { pullRequest: number, reviewed } = review;
  if (!reviewed) {
    return unreviewed(
      'the reviewed plan could not be looked up',
      describeGitHubError('look up the reviewed plan', review.lookupError, READ_PERMISSIONS),
      LOOKUP_FAILED,
    );
  }
  const withIgnored = (check: ReviewCheck): ReviewCheck => ({
    ...check,
    notes: [...groupIgnored(reviewed.ignored, `on pull request #${number} `), ...check.notes],
  });
  const file = settings.file;
  switch (reviewed.found) {
    case 'none':
      return withIgnored(
        unreviewed(
          `no reviewed plan on pull request #${number}`,
          reviewed.unverified.length > 0
            ? `No reviewed plan for ${file} on pull request #${number}: the plan record in the comment by ${reviewed.unverified.join(', ')} does not verify with this API key (it was signed with another key, or forged), so it is not read as a plan.`
            : `No reviewed plan for ${file} on pull request #${number}: the action's plan comment is not there (the plan job could not write it, or it was deleted).`,
        ),
      );
    case 'failed-plan':
      return withIgnored(
        unreviewed(
          `the last plan on pull request #${number} failed`,
          `No reviewed plan for ${file} on pull request #${number}: its last plan run failed, so no plan was reviewed for what was merged.`,
        ),
      );
    case 'plan':
      break;
  }
  if (reviewed.edited) {
    return withIgnored(
      unreviewed(
        `the plan comment on pull request #${number} was edited`,
        `No reviewed plan for ${file} on pull request #${number}: its plan comment was edited after the action wrote it, so what reviewers read cannot be shown to be the plan.`,
      ),
    );
  }
  const planned = log.scrubDeep(plan.changes);
  if (sameChanges(reviewed.changes, planned)) {
    return withIgnored({ notes: [`The changes match the plan reviewed on pull request #${number}.`] });
  }
  const show = (list: readonly { path: string; before: unknown; after: unknown }[]) =>
    list.length === 0 ? 'no changes' : list.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');
  return withIgnored(
    unreviewed(
      `the changes differ from the plan reviewed on pull request #${number}`,
      `The changes to send differ from the plan reviewed on pull request #${number}: reviewed ${show(reviewed.changes)}; now ${show(planned)}. The live account changed after the review.`,
      ` Nothing was sent. ${HOW_TO_APPLY}`,
      'Applied anyway because allow-unreviewed-changes is true.',
    ),
  );
}

const READ_PERMISSIONS =
  'Give the job "contents: read" and "pull-requests: write" permissions (the apply reads the plan comment and writes its outcome there).';

const LOOKUP_FAILED =
  ' Nothing was sent: the changes could not be compared with the plan reviewed on the pull request. Re-run the job, or set allow-unreviewed-changes: true.';

const HOW_TO_APPLY =
  'To apply: re-run the plan job of the pull request and then this job (the plan comment records what reviewers see); or run this workflow by hand (workflow_dispatch), which applies what the file says now and records that no review was compared; or set allow-unreviewed-changes: true.';
