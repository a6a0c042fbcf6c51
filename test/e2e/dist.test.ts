import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PR_NUMBER, ROOT } from '../support/action-env.js';
import { useFakes } from '../support/e2e.js';
import { recordedChanges } from '../support/records.js';
import { SECRET_VALUES, TEST_API_KEY } from '../support/sample-account.js';

// The built bundle, started as the runner starts it: `node dist/index.js` with INPUT_* (hyphens
// kept), GITHUB_* and RUNNER_* variables. This is what users run; src is only what we review.
const fakes = useFakes();

describe('the built dist/index.js run as the Actions runner runs it', () => {
  it('exists (npm run build)', () => {
    expect(existsSync(join(ROOT, 'dist/index.js'))).toBe(true);
  });

  it('plans a pull request: summary file, outputs file, one comment, one GET, no PUT', async () => {
    const run = await fakes.runDist({
      file: { data_retention_in_days: 30, features: { firehose: true } },
      event: 'pull_request',
      env: { RUNNER_DEBUG: '1' },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.summary.split('\n')[0]).toBe('### 📝 Plan: 2 changes, 1 destructive ⚠️');
    expect(run.outputs).toMatchObject({ changed: 'true', 'change-count': '2', applied: 'false' });
    expect(run.outputs['comment-url']).toMatch(/^https:\/\/github.com\/acme\/settings\/pull\/7#issuecomment-\d+$/);
    expect(fakes.lc.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /account']);
    expect(fakes.lc.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`API:${TEST_API_KEY}`).toString('base64')}`);
    expect(fakes.gh.commentsOf(PR_NUMBER)).toHaveLength(1);
    expect(fakes.gh.requests.every((r) => r.headers.authorization === 'token ghs_fake_token_123')).toBe(true);
    for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) expect(run.everything).not.toContain(secret);
  });

  it('applies on push: one PUT, the account changed, applied=true, rollback file written', async () => {
    const run = await fakes.runDist({
      file: { features: { firehose: true } },
      event: 'push',
    });
    expect(run.exitCode).toBe(0);
    expect(fakes.lc.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /account', 'PUT /account']);
    expect(fakes.lc.account.features?.firehose).toBe(true);
    expect(run.outputs.applied).toBe('true');
    expect(existsSync(run.outputs['previous-state-file'] ?? '')).toBe(true);
    expect(fakes.gh.requests.map((r) => r.route)).toEqual(['GET commit pulls']);
  });

  it('fails an invalid file with annotations, a summary and the comment saying so, sending nothing to LeadConduit', async () => {
    const run = await fakes.runDist({
      file: '{\n  "data_retention_in_days": "365",\n  "featurez": {}\n}\n',
      event: 'pull_request',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error title=Invalid leadconduit-account.json,file=leadconduit-account.json,line=2,col=3::data_retention_in_days must be a number, not the string "365"; remove the quotes',
    );
    expect(run.stdout).toContain(
      '::error title=Invalid leadconduit-account.json,file=leadconduit-account.json,line=3,col=3::unknown setting "featurez"; did you mean "features"?',
    );
    expect(run.stdout).not.toMatch(/^\s+at /m);
    expect(run.summary.split('\n')[0]).toBe('### ❌ Invalid: 2 problems in leadconduit-account.json');
    expect(fakes.lc.requests).toHaveLength(0);
    expect(fakes.gh.requests.map((r) => r.route)).toEqual(['GET comments', 'POST comment', 'GET comments']);
    const [comment] = fakes.gh.commentsOf(PR_NUMBER);
    expect(comment?.body).toContain('**❌ Invalid: 2 problems in leadconduit-account.json**');
    expect(recordedChanges(comment?.body ?? '')).toBeNull();
  });
});
