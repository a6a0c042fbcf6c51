// npm run demo: the main job on this machine, no account needed. It starts the loopback fakes of
// LeadConduit and GitHub, then runs the BUILT action (dist/index.js) as the runner does on a
// pull request with examples/leadconduit-account.json, and prints the log, the job summary and the
// PR comment. Then it runs the apply that merging would start. DEMO_DIST names another build
// folder to run (the package test runs the build of the current sources).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, runDist } from '../test/support/action-env.js';
import { startFakeGitHub } from '../test/support/fake-github.js';
import { startFakeLeadConduit } from '../test/support/fake-leadconduit.js';

const rule = (title: string) => `\n${'━'.repeat(8)} ${title} ${'━'.repeat(Math.max(4, 70 - title.length))}\n`;

const DIST = join(process.env.DEMO_DIST ?? join(ROOT, 'dist'), 'index.js');
const leadconduit = await startFakeLeadConduit();
const github = await startFakeGitHub();
try {
  const file = await readFile(join(ROOT, 'examples/leadconduit-account.json'), 'utf8');
  console.log(rule('examples/leadconduit-account.json (the desired state)'));
  console.log(file);

  const plan = await runDist({ file, event: 'pull_request', leadconduitUrl: leadconduit.url, githubUrl: github.url }, DIST);
  console.log(rule('pull_request: the action log'));
  console.log(
    plan.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::') && !line.startsWith('::debug::'))
      .join('\n'),
  );
  console.log(rule('pull_request: the job summary (Markdown)'));
  console.log(plan.summary);
  console.log(rule('pull_request: the PR comment (Markdown)'));
  console.log(
    github.comments
      .at(-1)
      ?.body.split('\n')
      .filter((line) => !line.startsWith('<!--'))
      .join('\n'),
  );
  console.log(rule('pull_request: outputs'));
  console.log(plan.outputs);
  await plan.cleanup();

  const apply = await runDist({ file, event: 'push', leadconduitUrl: leadconduit.url, githubUrl: github.url, inputs: { 'allow-destructive': 'true' } }, DIST);
  console.log(rule('push to main (allow-destructive: true): the job summary'));
  console.log(apply.summary);
  console.log(rule('what reached the fake LeadConduit'));
  for (const request of leadconduit.requests) console.log(`${request.method} ${request.path}${request.body ? ` ${request.body}` : ''}`);
  await apply.cleanup();
  process.exitCode = plan.exitCode || apply.exitCode;
} finally {
  await leadconduit.close();
  await github.close();
}
