import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub, startFakeGitHub } from './fake-github.js';
import type { GitHubComment } from './fake-github.js';
import { startFakeLeadConduit } from './fake-leadconduit.js';
import type { FakeLeadConduit, FakeLeadConduitOptions } from './fake-leadconduit.js';
import { basicAuthHeader } from './http-fake.js';
import { SECRET_VALUES, TEST_API_KEY, sampleAccount } from './sample-account.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((fake) => fake.close()));
});

async function leadconduit(options?: FakeLeadConduitOptions): Promise<FakeLeadConduit> {
  const fake = await startFakeLeadConduit(options);
  open.push(fake);
  return fake;
}

async function github(options?: Parameters<typeof startFakeGitHub>[0]): Promise<FakeGitHub> {
  const fake = await startFakeGitHub(options);
  open.push(fake);
  return fake;
}

const NOW = '2030-05-06T07:08:09.000Z';
const lcAuth = { authorization: basicAuthHeader('API', TEST_API_KEY) };
const ghAuth = { authorization: 'token ghs_fake_token_123' };

function put(fake: FakeLeadConduit, body: unknown): Promise<Response> {
  return fetch(`${fake.url}/account`, {
    method: 'PUT',
    headers: { ...lcAuth, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('sampleAccount', () => {
  it('returns fresh objects holding the secrets', () => {
    const a = sampleAccount();
    const b = sampleAccount({ name: 'Other' });
    a.features.firehose = true;
    expect(b.features.firehose).toBe(false);
    expect(b.name).toBe('Other');
    expect([a.api_key, a.keen_read_api_key, a.keen_write_api_key]).toEqual([...SECRET_VALUES]);
    expect(a.subscriptions).not.toHaveProperty('partner');
  });
});

describe('fake LeadConduit', () => {
  it('rejects missing or wrong credentials and records the requests', async () => {
    const fake = await leadconduit();
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: basicAuthHeader('API', 'wrong') },
      { authorization: basicAuthHeader('api', TEST_API_KEY) },
      { authorization: `Bearer ${TEST_API_KEY}` },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${fake.url}/account`, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized' });
    }
    expect(fake.count('GET /account')).toBe(4);
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the account and the user, and 404s anything else', async () => {
    const fake = await leadconduit();
    const account = await fetch(`${fake.url}/account`, { headers: lcAuth });
    expect(account.status).toBe(200);
    expect(account.headers.get('content-type')).toContain('application/json');
    expect(await account.json()).toEqual(sampleAccount());

    const user = (await (await fetch(`${fake.url}/user`, { headers: lcAuth })).json()) as { email: string; accounts: unknown[] };
    expect(user.email).toBe('ops@example.com');
    expect(user.accounts).toEqual([sampleAccount()]);

    const other = await fetch(`${fake.url}/accounts`, { headers: lcAuth });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ message: 'Not Found' });

    const rec = fake.requests[0];
    expect(rec).toMatchObject({ method: 'GET', path: '/account', body: '' });
    expect(rec?.headers.authorization).toBe(lcAuth.authorization);
  });

  it('merges nested objects on PUT by default', async () => {
    const fake = await leadconduit({ now: () => new Date(NOW) });
    const res = await put(fake, {
      data_retention_in_days: 90,
      features: { firehose: true },
      subscriptions: { pro: { state: 'active' } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReturnType<typeof sampleAccount>;
    const expected = sampleAccount();
    expected.data_retention_in_days = 90;
    expected.features.firehose = true;
    Object.assign(expected.subscriptions.pro!, { state: 'active', updated_at: NOW, active_at: NOW });
    expect(body).toEqual(expected);
    expect(fake.account).toEqual(expected);
    expect(fake.requests.at(-1)?.json).toEqual({
      data_retention_in_days: 90,
      features: { firehose: true },
      subscriptions: { pro: { state: 'active' } },
    });
    const user = (await (await fetch(`${fake.url}/user`, { headers: lcAuth })).json()) as { accounts: unknown[] };
    expect(user.accounts).toEqual([expected]);
  });

  it('replaces nested objects on PUT in replace mode, keeping what the server owns: read-only ids and timestamps', async () => {
    const fake = await leadconduit({ nested: 'replace', now: () => new Date(NOW) });
    const res = await put(fake, { features: { firehose: true }, subscriptions: { pro: { state: 'active' } } });
    expect(res.status).toBe(200);
    const account = fake.account;
    expect(account.features).toEqual({ firehose: true });
    expect(account.subscriptions).toEqual({
      pro: {
        state: 'active',
        id: '6123456789abcdef01234502',
        product_offering_id: '6123456789abcdef0123aa02',
        created_at: '2022-03-10T09:00:00Z',
        updated_at: NOW,
        active_at: NOW,
        inactive_at: '2023-02-20T18:45:00Z',
      },
    });
    expect(account.data_retention_in_days).toBe(365);
  });

  describe.each(['merge', 'replace'] as const)('keeps subscription timestamps itself, as LeadConduit does (%s)', (nested) => {
    const start = (): Promise<FakeLeadConduit> => leadconduit({ nested, now: () => new Date(NOW) });
    const subscriptionsNow = (fake: FakeLeadConduit) => fake.account.subscriptions;

    it('stamps updated_at and inactive_at on a state change, whatever the request says for them', async () => {
      const fake = await start();
      const before = sampleAccount().subscriptions;
      const stale = '1999-01-01T00:00:00Z';
      const res = await put(fake, {
        subscriptions: {
          base: { state: 'inactive', product_offering_component: 'base', created_at: stale, updated_at: stale, active_at: stale, inactive_at: stale },
          pro: { state: 'inactive', product_offering_component: 'pro' },
        },
      });
      expect(res.status).toBe(200);
      expect(subscriptionsNow(fake).base).toEqual({ ...before.base, state: 'inactive', updated_at: NOW, inactive_at: NOW });
      // pro was sent as it was: nothing changed, nothing stamped.
      expect(subscriptionsNow(fake).pro).toEqual(before.pro);
    });

    it('ignores timestamps sent without a change, and stamps a changed component without touching active_at/inactive_at', async () => {
      const fake = await start();
      const before = sampleAccount().subscriptions;
      await put(fake, {
        subscriptions: {
          base: { state: 'active', product_offering_component: 'base', updated_at: NOW, active_at: NOW },
          pro: { ...before.pro, product_offering_component: 'pro-2' },
        },
      });
      expect(subscriptionsNow(fake).base).toEqual(before.base);
      expect(subscriptionsNow(fake).pro).toEqual({ ...before.pro, product_offering_component: 'pro-2', updated_at: NOW });
    });

    it('creates a new subscription now: created_at, updated_at and active_at', async () => {
      const fake = await start();
      await put(fake, {
        subscriptions: {
          ...sampleAccount().subscriptions,
          partner: { state: 'active', product_offering_component: 'partner', created_at: '1999-01-01T00:00:00Z' },
        },
      });
      expect(subscriptionsNow(fake).partner).toEqual({
        state: 'active',
        product_offering_component: 'partner',
        created_at: NOW,
        updated_at: NOW,
        active_at: NOW,
        inactive_at: null,
      });
    });
  });

  it('validates PUT bodies', async () => {
    const fake = await leadconduit();
    const unknown = await put(fake, { name: 'x' });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toEqual({ message: 'Unknown field: name' });
    const notInt = await put(fake, { data_retention_in_days: 1.5 });
    expect(notInt.status).toBe(422);
    expect(await notInt.json()).toEqual({ message: 'data_retention_in_days must be an integer' });
    expect((await put(fake, '[1]')).status).toBe(400);
    expect((await put(fake, '{"broken')).status).toBe(400);
    expect(fake.account).toEqual(sampleAccount());
  });

  it('silently skips ignorePaths on PUT', async () => {
    const fake = await leadconduit({ ignorePaths: ['features.firehose', 'data_truncated_at'] });
    const res = await put(fake, {
      features: { firehose: true, real_time_bidding: true },
      data_truncated_at: '2024-01-01T00:00:00Z',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReturnType<typeof sampleAccount>;
    expect(body.features.firehose).toBe(false);
    expect(body.features.real_time_bidding).toBe(true);
    expect(body.data_truncated_at).toBe('2023-11-07T05:31:56Z');
  });

  it('can answer 404 on GET /account so clients fall back to GET /user', async () => {
    const other = sampleAccount({ id: '000000000000000000000001', name: 'Other' });
    const fake = await leadconduit({ accountEndpoint: false, userAccounts: [other, sampleAccount()] });
    const res = await fetch(`${fake.url}/account`, { headers: lcAuth });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    await put(fake, { data_retention_in_days: 30 });
    const user = (await (await fetch(`${fake.url}/user`, { headers: lcAuth })).json()) as {
      accounts: Array<{ id: string; data_retention_in_days: number }>;
    };
    expect(user.accounts.map((a) => [a.id, a.data_retention_in_days])).toEqual([
      ['000000000000000000000001', 365],
      ['5fd4371e940df5a34a3888b2', 30],
    ]);
  });

  it('account getter and setter copy', async () => {
    const fake = await leadconduit();
    const copy = fake.account;
    copy.features.firehose = true;
    expect(fake.account.features.firehose).toBe(false);
    fake.account = copy;
    copy.name = 'changed later';
    expect(fake.account.features.firehose).toBe(true);
    expect(fake.account.name).toBe('Acme, Inc.');
  });

  it('injects faults in order, per route, before auth and normal handling', async () => {
    const fake = await leadconduit();
    fake.inject('GET /account', { kind: 'status', status: 503, body: { message: 'busy' }, headers: { 'retry-after': '1' } }, 2);
    fake.inject('GET /account', { kind: 'status', status: 500, body: 'oops' });
    const a = await fetch(`${fake.url}/account`);
    expect([a.status, a.headers.get('retry-after'), a.headers.get('content-type')]).toEqual([503, '1', 'application/json']);
    expect(await a.json()).toEqual({ message: 'busy' });
    expect((await fetch(`${fake.url}/account`, { headers: lcAuth })).status).toBe(503);
    const c = await fetch(`${fake.url}/account`, { headers: lcAuth });
    expect([c.status, c.headers.get('content-type'), await c.text()]).toEqual([500, 'text/plain; charset=utf-8', 'oops']);
    expect((await fetch(`${fake.url}/user`, { headers: lcAuth })).status).toBe(200);
    expect((await fetch(`${fake.url}/account`, { headers: lcAuth })).status).toBe(200);
    expect(fake.count('GET /account')).toBe(4);
    expect(fake.requests.map((r) => r.fault)).toEqual(['status', 'status', 'status', undefined, undefined]);
  });

  it('fault: reset', async () => {
    const fake = await leadconduit();
    fake.inject('GET /account', { kind: 'reset' });
    await expect(fetch(`${fake.url}/account`, { headers: lcAuth })).rejects.toThrow();
    expect(fake.count('GET /account')).toBe(1);
  });

  it('fault: reset-mid-body', async () => {
    const fake = await leadconduit();
    fake.inject('PUT /account', { kind: 'reset-mid-body' });
    const res = await put(fake, { features: { firehose: true } });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(JSON.stringify(sampleAccount()).length);
    await expect(res.text()).rejects.toThrow();
    expect(fake.requests[0]?.json).toEqual({ features: { firehose: true } });
    expect(fake.account).toEqual(sampleAccount());
  });

  it('fault: hang (client times out)', async () => {
    const fake = await leadconduit();
    fake.inject('GET /user', { kind: 'hang' });
    const error = await fetch(`${fake.url}/user`, { headers: lcAuth, signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toMatch(/TimeoutError|AbortError/);
  });

  it('fault: malformed-json, html, not-an-account, redirect', async () => {
    const fake = await leadconduit();
    fake.inject('GET /account', { kind: 'malformed-json' });
    fake.inject('GET /account', { kind: 'html' });
    fake.inject('GET /account', { kind: 'not-an-account' });
    fake.inject('GET /account', { kind: 'redirect', location: 'http://127.0.0.1:9/account', status: 307 });

    const malformed = await fetch(`${fake.url}/account`, { headers: lcAuth });
    expect([malformed.status, malformed.headers.get('content-type')]).toEqual([200, 'application/json']);
    await expect(malformed.json()).rejects.toThrow(SyntaxError);

    const html = await fetch(`${fake.url}/account`, { headers: lcAuth });
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('<html>');

    const wrong = await fetch(`${fake.url}/account`, { headers: lcAuth });
    expect(await wrong.json()).toEqual({ hello: 'world' });

    const redirect = await fetch(`${fake.url}/account`, { headers: lcAuth, redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, 'http://127.0.0.1:9/account']);
  });

  it('closes cleanly with a hanging request open', async () => {
    const fake = await startFakeLeadConduit();
    fake.inject('GET /account', { kind: 'hang' });
    const pending = fetch(`${fake.url}/account`, { headers: lcAuth }).then(
      () => 'answered',
      () => 'failed',
    );
    while (fake.count('GET /account') === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await fake[Symbol.asyncDispose]();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toBe('failed');
  });
});

describe('fake GitHub', () => {
  it('requires the token and honours readOnly', async () => {
    const fake = await github();
    const none = await fetch(`${fake.url}/repos/o/r/issues/1/comments`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'Bad credentials' });
    expect(none.headers.get('x-github-request-id')).toBeTruthy();
    expect(none.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const bearer = await fetch(`${fake.url}/repos/o/r/issues/1/comments`, { headers: { authorization: 'Bearer ghs_fake_token_123' } });
    expect(bearer.status).toBe(200);
    // The request without a token was sent on purpose: the REST check names it (and closing would fail).
    expect(fake.violations.splice(0)).toEqual(['GET /repos/o/r/issues/1/comments (issues/list-comments): no token in the authorization header']);

    const ro = await github({ readOnly: true });
    const post = await fetch(`${ro.url}/repos/o/r/issues/1/comments`, {
      method: 'POST',
      headers: ghAuth,
      body: JSON.stringify({ body: 'hi' }),
    });
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    expect(ro.comments).toEqual([]);
  });

  it("fails on close when a request strayed from GitHub's REST description, so no harness can miss one", async () => {
    const fake = new FakeGitHub();
    await fake.listen();
    await fetch(`${fake.url}/repos/o/r/issues/1/comments?per_page=101`, { headers: ghAuth });
    await expect(fake.close()).rejects.toThrow(/per_page 101 is over GitHub's maximum of 100/);
  });

  it('paginates 250 comments with Link headers', async () => {
    const fake = await github();
    for (let i = 0; i < 250; i++) {
      fake.addComment(7, `comment ${i}`);
      if (i % 50 === 0) fake.addComment(8, 'other issue', { login: 'someone' });
    }
    let next: string | undefined = `${fake.url}/repos/o/r/issues/7/comments?per_page=100`;
    const seen: GitHubComment[] = [];
    const links: string[] = [];
    while (next) {
      const res = await fetch(next, { headers: ghAuth });
      expect(res.status).toBe(200);
      seen.push(...((await res.json()) as GitHubComment[]));
      const link = res.headers.get('link') ?? '';
      links.push(link);
      next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
    }
    expect(seen).toHaveLength(250);
    expect(seen.map((c) => c.body)).toEqual(Array.from({ length: 250 }, (_, i) => `comment ${i}`));
    expect(seen.every((c, i) => i === 0 || c.id > seen[i - 1]!.id)).toBe(true);
    expect(links[0]).toContain(`<${fake.url}/repos/o/r/issues/7/comments?per_page=100&page=2>; rel="next"`);
    expect(links[0]).toContain(`<${fake.url}/repos/o/r/issues/7/comments?per_page=100&page=3>; rel="last"`);
    expect(links[2]).not.toContain('rel="next"');
    expect(links[2]).toContain('rel="prev"');
    expect(fake.count('GET comments')).toBe(3);

    const capped = await fetch(`${fake.url}/repos/o/r/issues/7/comments?per_page=500`, { headers: ghAuth });
    expect(((await capped.json()) as unknown[]).length).toBe(100);
    expect(fake.violations.splice(0)).toEqual(["GET /repos/o/r/issues/7/comments (issues/list-comments): per_page 500 is over GitHub's maximum of 100"]);
    const other = (await (await fetch(`${fake.url}/repos/o/r/issues/8/comments`, { headers: ghAuth })).json()) as GitHubComment[];
    expect(other.map((c) => c.user)).toEqual(Array(5).fill({ login: 'someone', type: 'User' }));
  });

  it('creates, updates and deletes comments', async () => {
    const fake = await github();
    const created = await fetch(`${fake.url}/repos/acme/settings/issues/12/comments`, {
      method: 'POST',
      headers: ghAuth,
      body: JSON.stringify({ body: 'plan' }),
    });
    expect(created.status).toBe(201);
    const comment = (await created.json()) as GitHubComment;
    expect(comment).toMatchObject({
      issue_number: 12,
      body: 'plan',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: `https://github.com/acme/settings/pull/12#issuecomment-${comment.id}`,
    });

    const patched = await fetch(`${fake.url}/repos/acme/settings/issues/comments/${comment.id}`, {
      method: 'PATCH',
      headers: ghAuth,
      body: JSON.stringify({ body: 'plan v2' }),
    });
    expect(patched.status).toBe(200);
    expect(fake.comments[0]?.body).toBe('plan v2');
    const missing = await fetch(`${fake.url}/repos/acme/settings/issues/comments/999`, {
      method: 'PATCH',
      headers: ghAuth,
      body: JSON.stringify({ body: 'x' }),
    });
    expect(missing.status).toBe(404);

    const deleted = await fetch(`${fake.url}/repos/acme/settings/issues/comments/${comment.id}`, { method: 'DELETE', headers: ghAuth });
    expect(deleted.status).toBe(204);
    expect(fake.comments).toEqual([]);
    const again = await fetch(`${fake.url}/repos/acme/settings/issues/comments/${comment.id}`, { method: 'DELETE', headers: ghAuth });
    expect(again.status).toBe(404);
    expect(fake.count('DELETE comment')).toBe(2);
  });

  it('serves file contents as wrapped base64, and commit pulls', async () => {
    const fake = await github();
    const content = `${JSON.stringify({ features: { firehose: true }, note: 'é'.repeat(80) }, null, 2)}\n`;
    fake.setFile('main', '.leadconduit/account.jsonc', content);
    fake.setFile('abc123', '.leadconduit/account.jsonc', '{}');
    const res = await fetch(`${fake.url}/repos/o/r/contents/.leadconduit/account.jsonc`, { headers: ghAuth });
    expect(res.status).toBe(200);
    const file = (await res.json()) as { type: string; encoding: string; content: string; name: string; path: string; size: number; sha: string };
    expect(file).toMatchObject({ type: 'file', encoding: 'base64', name: 'account.jsonc', path: '.leadconduit/account.jsonc' });
    expect(file.content.split('\n').every((line) => line.length <= 60)).toBe(true);
    expect(file.content).toContain('\n');
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe(content);
    expect(file.size).toBe(Buffer.byteLength(content));
    expect(file.sha).toMatch(/^[0-9a-f]{40}$/);

    const atRef = (await (await fetch(`${fake.url}/repos/o/r/contents/.leadconduit%2Faccount.jsonc?ref=abc123`, { headers: ghAuth })).json()) as {
      content: string;
    };
    expect(Buffer.from(atRef.content, 'base64').toString()).toBe('{}');
    const missing = await fetch(`${fake.url}/repos/o/r/contents/nope.json?ref=main`, { headers: ghAuth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'Not Found' });

    fake.setCommitPulls('deadbeef', [{ number: 12, state: 'open' }]);
    const pulls = await fetch(`${fake.url}/repos/o/r/commits/deadbeef/pulls`, { headers: ghAuth });
    expect(await pulls.json()).toEqual([{ number: 12, state: 'open' }]);
    expect(await (await fetch(`${fake.url}/repos/o/r/commits/other/pulls`, { headers: ghAuth })).json()).toEqual([]);
  });

  it('injects faults per route', async () => {
    const fake = await github();
    fake.inject('POST comment', { kind: 'status', status: 502, body: 'Bad Gateway' });
    fake.inject('GET contents', { kind: 'reset-mid-body' });
    const post = await fetch(`${fake.url}/repos/o/r/issues/1/comments`, { method: 'POST', headers: ghAuth, body: '{"body":"x"}' });
    expect(post.status).toBe(502);
    expect(post.headers.get('x-github-request-id')).toBeTruthy();
    expect(fake.comments).toEqual([]);
    const contents = await fetch(`${fake.url}/repos/o/r/contents/a.json`, { headers: ghAuth });
    await expect(contents.text()).rejects.toThrow();
    expect(fake.count('POST comment')).toBe(1);
    expect(fake.count('GET contents')).toBe(1);
  });
});
