/**
 * The plan comment's life on a pull request: written by the plan run, read back by the apply after
 * the merge as the plan reviewers saw. GitHub I/O only; the digest itself is reviewed-plan.ts.
 */
import type { GitHubApi } from './pull-request.js';
import { commentMarker, planMarker, readPlanMarker, type ReviewedChange } from './reviewed-plan.js';
import type { Change } from './plan.js';

/** Creates or updates this file's one comment on the pull request; its URL, and whether it is new. */
export async function postPlanComment(
  github: GitHubApi,
  prNumber: number,
  repoPath: string,
  changes: readonly Change[],
  render: (markers: string) => string,
): Promise<{ url: string; created: boolean }> {
  const marker = commentMarker(repoPath);
  const { comment, created } = await github.upsertComment(prNumber, marker, render(`${marker}\n${planMarker(changes)}`));
  return { url: comment.url, created };
}

export type ReviewedPlanLookup =
  /** The commit belongs to no pull request (a direct push). */
  | { found: 'no-pull-request' }
  /** The merged pull request has no plan comment for this file. */
  | { found: 'no-plan'; pullRequest: { number: number; url: string } }
  | { found: 'plan'; pullRequest: { number: number; url: string }; changes: ReviewedChange[] };

/** The plan reviewed on the pull request that the pushed commit belongs to. GitHub failures are thrown. */
export async function findReviewedPlan(github: GitHubApi, sha: string, repoPath: string): Promise<ReviewedPlanLookup> {
  const pulls = await github.pullRequestsForCommit(sha);
  const pr = pulls.find((p) => p.mergeCommitSha === sha) ?? pulls.find((p) => p.merged) ?? pulls[0];
  if (!pr) return { found: 'no-pull-request' };
  const pullRequest = { number: pr.number, url: pr.url };
  const comment = await github.findComment(pr.number, commentMarker(repoPath));
  const changes = comment ? readPlanMarker(comment.body) : undefined;
  return changes ? { found: 'plan', pullRequest, changes } : { found: 'no-plan', pullRequest };
}
