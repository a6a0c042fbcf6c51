// The "plan floor": the plan's work done with nothing but the four packages the action is built
// on (@actions/core, @actions/github, ky, zod), written the plain way: every import at the top,
// no retries, no report. The same HTTP calls as a plan on a pull request whose plan comment
// exists: GET /account on LeadConduit; the base file, the comments and an update of the plan
// comment on GitHub. `npm run bench` builds this file with ncc and divides plan's time by this
// bundle's (the loopback fakes answer both).
import * as core from '@actions/core';
import { context, getOctokit } from '@actions/github';
import ky from 'ky';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const COMMENT_MARKER = '<!-- leadconduit-account-action:comment';

const account = z.looseObject({
  id: z.string(),
  data_retention_in_days: z.int().optional(),
  features: z.record(z.string(), z.boolean()).optional(),
});

const file = core.getInput('file');
const desired = account.partial().parse(JSON.parse(readFileSync(file, 'utf8')));

const leadconduit = ky.create({
  baseUrl: `${core.getInput('base-url')}/`,
  headers: { authorization: `Basic ${Buffer.from(`API:${core.getInput('api-key')}`).toString('base64')}` },
});
const live = account.parse(await leadconduit.get('account').json());

const octokit = getOctokit(core.getInput('github-token'));
const pr = context.payload.pull_request;
if (!pr) throw new Error('not a pull_request event');
const { repo } = context;
await octokit.rest.repos.getContent({ ...repo, path: file, ref: (pr.base as { sha: string }).sha });
const { data: comments } = await octokit.rest.issues.listComments({ ...repo, issue_number: pr.number, per_page: 100 });
const comment = comments.find((c) => c.body?.startsWith(COMMENT_MARKER));
if (!comment) throw new Error('no plan comment on the pull request');

const changed = Object.entries(desired).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(live[key]));
const body = [comment.body?.split('\n')[0], ...changed.map(([key, value]) => `- ${key}: ${JSON.stringify(value)}`)].join('\n');
await octokit.rest.issues.updateComment({ ...repo, comment_id: comment.id, body });
core.setOutput('changed', String(changed.length > 0));
await core.summary.addRaw(body).write();
