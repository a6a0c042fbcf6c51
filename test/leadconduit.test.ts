/**
 * The LeadConduit client on its own, against the fake: retries, timeouts, redirects, error
 * wording and secrets. The whole-action view of the same faults is in test/faults/leadconduit-*.test.ts.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { liveObject } from '../src/account-schema.js';
import { LeadConduitError, createLeadConduitClient, type LeadConduitClient } from '../src/leadconduit.js';
import { Redactor } from '../src/redact.js';
import { Deadline } from '../src/deadline.js';
import type { RetryPolicy } from '../src/retry.js';
import { startFakeLeadConduit, type FakeLeadConduit, type FakeLeadConduitOptions } from './support/fake-leadconduit.js';
import { ROOT } from './support/action-env.js';
import { SAMPLE_ACCOUNT_ID, SECRET_VALUES, TEST_API_KEY, sampleAccount } from './support/sample-account.js';

const POLICY: RetryPolicy = { retries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };
const BASIC = Buffer.from(`API:${TEST_API_KEY}`).toString('base64');

const open: Array<{ close(): Promise<void> } | Deadline> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) {
    if (thing instanceof Deadline) thing.dispose();
    else await thing.close();
  }
});

async function fake(options: FakeLeadConduitOptions = {}): Promise<FakeLeadConduit> {
  const server = await startFakeLeadConduit(options);
  open.push(server);
  return server;
}

interface Made {
  client: LeadConduitClient;
  redactor: Redactor;
  debug: string[];
}

function client(baseUrl: string, options: { timeoutMs?: number; deadlineMs?: number; retry?: Partial<RetryPolicy> } = {}): Made {
  const deadline = new Deadline(options.deadlineMs ?? 20_000);
  open.push(deadline);
  const redactor = new Redactor(() => {});
  const debug: string[] = [];
  const made = createLeadConduitClient({
    baseUrl,
    apiKey: TEST_API_KEY,
    // Generous unless a test waits a timeout out: a busy machine must not time out a normal answer.
    requestTimeoutMs: options.timeoutMs ?? 2_000,
    retry: { ...POLICY, ...options.retry },
    deadline,
    redactor,
    debug: (message) => debug.push(message),
  });
  return { client: made, redactor, debug };
}

/** A raw server for what the fake cannot do; records each request's headers. */
async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; requests: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    requests.push(req.headers);
    handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const raw = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(raw);
  return raw;
}

async function failure(promise: Promise<unknown>): Promise<LeadConduitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LeadConduitError);
  return error as LeadConduitError;
}

const UPDATE = { data_retention_in_days: 400, features: { ...sampleAccount().features, firehose: true } };

describe('reading the account', () => {
  it('reads GET /account, without the account secrets', async () => {
    const lc = await fake();
    const { client: c, redactor } = client(lc.url);
    const { account, via } = await c.readAccount();
    expect(via).toBe('GET /account');
    expect(account.id).toBe(SAMPLE_ACCOUNT_ID);
    expect(JSON.stringify(account)).not.toMatch(new RegExp(SECRET_VALUES.join('|')));
    // ...but registered, so any later message quoting them is masked.
    for (const secret of SECRET_VALUES) expect(redactor.scrub(`x ${secret} y`)).toBe('x *** y');
  });

  it('falls back to GET /user when GET /account is not served (404 or 405)', async () => {
    for (const status of [404, 405]) {
      const lc = await fake();
      lc.inject('GET /account', { kind: 'status', status });
      const { account, via } = await client(lc.url).client.readAccount(SAMPLE_ACCOUNT_ID);
      expect(via).toBe('GET /user');
      expect(account.id).toBe(SAMPLE_ACCOUNT_ID);
      expect(lc.count('GET /account')).toBe(1);
    }
  });

  it('retries a connection reset in the middle of the body and reads the whole answer', async () => {
    const lc = await fake();
    lc.inject('GET /account', { kind: 'reset-mid-body' }, 2);
    const { account } = await client(lc.url).client.readAccount();
    expect(account.id).toBe(SAMPLE_ACCOUNT_ID);
    expect(lc.count('GET /account')).toBe(3);
  });

  it('times out a body that stops arriving, per request, and retries it', async () => {
    let calls = 0;
    const body = JSON.stringify(sampleAccount());
    const raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      if (++calls === 1)
        res.write(body.slice(0, 40)); // then silence
      else res.end(body);
    });
    const started = Date.now();
    const { account } = await client(raw.url, { timeoutMs: 500 }).client.readAccount();
    expect(account.id).toBe(SAMPLE_ACCOUNT_ID);
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops at the overall deadline, however many retries are left', async () => {
    const lc = await fake();
    lc.inject('GET /account', { kind: 'hang' }, 21);
    const started = Date.now();
    const error = await failure(client(lc.url, { timeoutMs: 200, deadlineMs: 500, retry: { retries: 20 } }).client.readAccount());
    // 21 attempts would take over 4 s; a busy machine may add some to the 500 ms.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.message).toMatch(
      /^GET \/account was stopped: the run's overall deadline of 500 ms passed\. LeadConduit is slow or unreachable; re-run the job later\.$|^LeadConduit did not answer GET \/account in time \(after \d attempts\)/,
    );
    expect(lc.count('GET /account')).toBeLessThanOrEqual(3);
  });

  it('gives a truncated, empty or non-JSON 2xx answer as a clear error, without retrying', async () => {
    const bodies: Array<[string, string, string]> = [
      ['{"id": "5fd4371e940df5a34a3888b2", "name": "Ac', 'application/json', 'it starts with "{\\"id\\": \\"5fd4371e940df5a34a3888" and is cut short'],
      ['', 'application/json', 'it is empty'],
      ['OK', 'text/plain', 'it starts with "OK"'],
      ['<html><body>Login</body></html>', 'text/html', 'it is an HTML page'],
    ];
    for (const [body, type, described] of bodies) {
      const raw = await rawServer((_req, res) => res.writeHead(200, { 'content-type': type }).end(body));
      const error = await failure(client(raw.url).client.readAccount());
      expect(error.message).toBe(
        `LeadConduit answered 200 but the body is not valid JSON (${described}) for GET /account. Check that base-url (${raw.url}) points at LeadConduit's API, or re-run the job.`,
      );
      expect(error.call).toBe('GET /account');
      expect(raw.requests).toHaveLength(1);
    }
  });
});

describe('never retried', () => {
  it('a 401 or 403, even with a Retry-After', async () => {
    for (const status of [401, 403]) {
      const lc = await fake();
      lc.inject('GET /account', { kind: 'status', status, headers: { 'retry-after': '0' } }, 5);
      const error = await failure(client(lc.url).client.readAccount());
      expect(lc.count('GET /account')).toBe(1);
      expect(error.status).toBe(status);
      expect(error.message).toContain('Check the api-key secret');
    }
  });

  it('the wrong API key (the fake itself answers 401)', async () => {
    const lc = await fake({ apiKey: 'another-key-entirely' });
    const error = await failure(client(lc.url).client.readAccount());
    expect(error.message).toBe(
      'LeadConduit rejected the API key (401 Unauthorized) on GET /account: Unauthorized. Check the api-key secret: it must be a current LeadConduit API key with access to this account.',
    );
    expect(lc.count('GET /account')).toBe(1);
  });

  it('a 400, 404, 409 or 422 on PUT /account', async () => {
    for (const status of [400, 404, 409, 422]) {
      const lc = await fake();
      lc.inject('PUT /account', { kind: 'status', status, body: { message: 'no' } }, 5);
      const error = await failure(client(lc.url).client.updateAccount(UPDATE));
      expect(lc.count('PUT /account')).toBe(1);
      expect(error.status).toBe(status);
      expect(error.call).toBe('PUT /account');
      expect(lc.account).toEqual(sampleAccount());
    }
  });

  it('a Retry-After longer than the maximum: one request, a clear message naming the wait', async () => {
    const lc = await fake();
    lc.inject(
      'PUT /account',
      { kind: 'status', status: 503, body: { message: 'Down for maintenance until 14:00 UTC' }, headers: { 'retry-after': '3600' } },
      5,
    );
    const error = await failure(client(lc.url).client.updateAccount(UPDATE));
    expect(lc.count('PUT /account')).toBe(1);
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      'LeadConduit answered 503 Service Unavailable to PUT /account (Down for maintenance until 14:00 UTC) and the server asked to wait 60 min before retrying, longer than the 2 s this action waits; re-run the job later.',
    );
  });
});

describe('redirects', () => {
  for (const status of [301, 302, 307, 308] as const) {
    it(`a ${status} is never followed and is reported clearly (the API key stays home)`, async () => {
      const elsewhere = await rawServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sampleAccount())));
      const lc = await fake();
      lc.inject('GET /account', { kind: 'redirect', status, location: `${elsewhere.url}/v2/account` }, 5);
      lc.inject('PUT /account', { kind: 'redirect', status, location: `${elsewhere.url}/v2/account` }, 5);
      const { client: c } = client(lc.url);
      const read = await failure(c.readAccount());
      const put = await failure(c.updateAccount(UPDATE));
      expect(elsewhere.requests).toHaveLength(0);
      expect(lc.count('GET /account')).toBe(1);
      expect(lc.count('PUT /account')).toBe(1);
      expect(read.status).toBe(status);
      expect(read.message).toBe(
        `LeadConduit answered GET /account with a redirect (${status}) to ${elsewhere.url}/v2/account; it is not followed, so the API key cannot reach another host. Set base-url to the API's own address (${lc.url} is redirected).`,
      );
      expect(put.message).toContain(`LeadConduit answered PUT /account with a redirect (${status})`);
      expect(lc.account).toEqual(sampleAccount());
    });
  }
});

describe('PUT /account', () => {
  it('resends the same body on a retry, and returns the updated account', async () => {
    const lc = await fake();
    lc.inject('PUT /account', { kind: 'reset' });
    lc.inject('PUT /account', { kind: 'status', status: 502 });
    lc.inject('PUT /account', { kind: 'hang' });
    const updated = await client(lc.url, { timeoutMs: 500 }).client.updateAccount(UPDATE);
    const puts = lc.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(4);
    expect(new Set(puts.map((r) => r.body)).size).toBe(1);
    expect(puts[0]?.json).toEqual(UPDATE);
    expect(updated.data_retention_in_days).toBe(400);
    expect(liveObject(updated.features)?.firehose).toBe(true);
    expect(updated).not.toHaveProperty('api_key');
  });

  it('says the outcome is unknown when a PUT that may have arrived fails for good', async () => {
    const lc = await fake();
    lc.inject('PUT /account', { kind: 'reset-mid-body' }, 10);
    const error = await failure(client(lc.url).client.updateAccount(UPDATE));
    expect(error.message).toBe(
      "The connection to LeadConduit broke while its answer to PUT /account was arriving (after 4 attempts): connection closed by the server (UND_ERR_SOCKET). Check LeadConduit's status and the runner's network, then re-run the job. The update may or may not have been applied: re-run the job, which reads the account again and sends only what still differs.",
    );
  });
});

describe('secrets in messages', () => {
  it('masks the API key wherever an answer quotes it', async () => {
    const lc = await fake();
    lc.inject('GET /account', { kind: 'status', status: 401, body: { message: `Key ${TEST_API_KEY} (Basic ${BASIC}) is revoked` } });
    const error = await failure(client(lc.url).client.readAccount());
    expect(error.message).toContain('Key *** (Basic ***) is revoked');
    expect(error.message).not.toContain(TEST_API_KEY);
    expect(error.message).not.toContain(BASIC);
  });

  it("masks the account's own secrets, once read, in a later error", async () => {
    const lc = await fake();
    const { client: c, debug } = client(lc.url);
    await c.readAccount();
    lc.inject('PUT /account', {
      kind: 'status',
      status: 422,
      body: { errors: [{ message: `keen_write_api_key ${SECRET_VALUES[2]} is read-only` }, `api_key ${SECRET_VALUES[0]} too`] },
    });
    const error = await failure(c.updateAccount(UPDATE));
    expect(error.message).toBe(
      'LeadConduit refused PUT /account (422 Unprocessable Entity): keen_write_api_key *** is read-only; api_key *** too. Nothing was changed; fix the setting it names, in the desired-state file or, where the file does not manage it, in LeadConduit.',
    );
    for (const line of debug) expect(line).not.toContain(TEST_API_KEY);
  });

  it('masks the API key in a redirect target', async () => {
    const lc = await fake();
    lc.inject('GET /account', { kind: 'redirect', location: `https://login.example.com/?key=${TEST_API_KEY}` });
    const error = await failure(client(lc.url).client.readAccount());
    expect(error.message).toContain('to https://login.example.com/?key=***;');
  });

  it('never sends the API key anywhere but base-url', async () => {
    const lc = await fake();
    await client(lc.url).client.readAccount();
    expect(lc.requests[0]?.headers.authorization).toBe(`Basic ${BASIC}`);
  });
});

describe('under garbage collection', () => {
  it('still times out a stalled answer while the collector runs every few milliseconds (no hang)', async () => {
    // A child process, so that --expose-gc can force collections during the read.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', './scripts/register-ts.mjs', join('test', 'support', 'gc-stall.ts')],
      { cwd: ROOT, timeout: 20_000 },
    );
    const result = JSON.parse(stdout) as { outcome: string; message: string; gc: boolean };
    expect(result.gc).toBe(true);
    expect(result.outcome).toBe('failed');
    expect(result.message).toBe(
      "LeadConduit did not answer GET /account in time (after 2 attempts): the answer did not finish arriving within 500 ms. Check LeadConduit's status and re-run the job.",
    );
  });
});
