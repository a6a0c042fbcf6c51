import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDesiredState } from '../src/desired-state.js';
import { SCHEMA_URL } from '../src/schema-url.js';
import { runCliInProcess, type CliOptions, type CliRun } from './support/cli-run.js';
import { startFakeLeadConduit, type FakeLeadConduit } from './support/fake-leadconduit.js';
import { mkfifo } from './support/fifo.js';
import { SAMPLE_ACCOUNT_ID, SECRET_VALUES, TEST_API_KEY, sampleAccount } from './support/sample-account.js';

// The command line as a user runs it: runCli in this process, in a folder of its own, with only
// PATH, HOME and the API key in its environment, against the fake LeadConduit on 127.0.0.1.
// test/e2e/bundle.test.ts runs the built cli.js (made from the current sources) the same way in
// a child process, on a terminal too, and checks it answers exactly as runCli does here.
const FILE = 'leadconduit-account.json';
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[`);
const ANSI_CODES = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

let lc: FakeLeadConduit;
let dir: string;

beforeEach(async () => {
  lc = await startFakeLeadConduit();
  dir = await mkdtemp(join(tmpdir(), 'lc-cli-'));
});

afterEach(async () => {
  await lc.close();
  await rm(dir, { recursive: true, force: true });
});

/** leadconduit-account <args> in `dir`. */
function cli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return runCliInProcess(dir, args, options);
}

const withFake = (...args: string[]) => [...args, '--base-url', lc.url];

async function writeState(value: unknown, name = FILE): Promise<void> {
  await writeFile(join(dir, name), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
}

function routes(): string[] {
  return lc.requests.map((r) => `${r.method} ${r.path}`);
}

function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) expect(text).not.toContain(secret);
}

function expectNoStack(run: CliRun): void {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at /m);
}

describe('the command line', () => {
  describe('validate', () => {
    it('accepts a valid file without the network or an API key', async () => {
      await writeState({ id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 365, features: { firehose: true } });
      const run = await cli(['validate'], { apiKey: null });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(`✓ ${FILE} is valid: 2 managed settings.\n`);
      expect(lc.requests).toHaveLength(0);
    });

    it('prints each problem as file:line:column  message and exits 1', async () => {
      await writeState('{\n  "data_retention_in_days": "365",\n  "featurez": {}\n}\n', 'account.json');
      const run = await cli(['validate', 'account.json'], { apiKey: null });
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')).toEqual([
        'account.json:2:3  data_retention_in_days must be a number, not the string "365"; remove the quotes',
        'account.json:3:3  unknown setting "featurez"; did you mean "features"?',
        '',
      ]);
      expect(run.stderr).toBe('error: account.json has 2 problems.\n');
      expectNoStack(run);
    });

    it('reports invalid JSON at its line and column', async () => {
      await writeState('{\n  "data_retention_in_days": 365,\n}\n');
      const run = await cli(['validate']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(`${FILE}:2:32  trailing comma: JSON allows no comma after the last item; remove it\n`);
    });

    it('--json: one object with the problems', async () => {
      await writeState('{"features": {"firehose": "yes"}}');
      const run = await cli(['validate', '--json']);
      expect(run.code).toBe(1);
      const result = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(result).toMatchObject({
        command: 'validate',
        ok: false,
        valid: false,
        file: FILE,
        problems: [{ path: 'features.firehose', line: 1, column: 15, message: 'features.firehose must be true or false, not the string "yes"' }],
      });
      await writeState({ features: { firehose: true } });
      const ok = await cli(['validate', '--json']);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toEqual({ command: 'validate', file: FILE, ok: true, valid: true, settings: 1, problems: [] });
    });

    it('a missing file is a clear error', async () => {
      const run = await cli(['validate', 'nope.json']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error: nope.json was not found');
      expect(run.stderr).toContain('create one from the live account with: npx --no -- leadconduit-account export nope.json\n');
      expectNoStack(run);
    });

    it('does not print a committed api_key, even in a problem', async () => {
      await writeState({ api_key: SECRET_VALUES[0], id: SECRET_VALUES[0] });
      const run = await cli(['validate']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('"api_key" is a read-only account field');
      expectNoSecrets(run.stdout, run.stderr);
    });
  });

  describe('plan', () => {
    it('a managed setting of an odd kind in the account: its verdict, each setting once, then what to do', async () => {
      lc.account = { ...sampleAccount(), features: 'all' } as unknown as ReturnType<typeof sampleAccount>;
      await writeState({ features: { firehose: true } });
      const run = await cli(withFake('plan'));
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')).toEqual([
        "error: LeadConduit's account holds 1 managed setting of an unexpected kind, which cannot be compared with leadconduit-account.json:",
        '  features is the string "all", where an object of features (each true or false) is expected',
        "Nothing was sent. Check it in LeadConduit (or with LeadConduit's support), then run again.",
        '',
      ]);
      expectNoStack(run);
    });

    it('shows the changes as a table and exits 2', async () => {
      await writeState({ data_retention_in_days: 30, features: { firehose: true, seller_access: true } });
      const run = await cli(withFake('plan'));
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('');
      expect(run.stdout).not.toMatch(ANSI);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(`Account Acme, Inc. (${SAMPLE_ACCOUNT_ID})`);
      const header = lines.findIndex((line) => line.startsWith('SETTING'));
      expect(lines[header]).toMatch(/^SETTING\s+LIVE\s+DESIRED\s+NOTE$/);
      expect(lines[header + 1]).toMatch(/^data_retention_in_days\s+365\s+30\s+⚠ destructive: lowers data retention from 365 to 30 days/);
      expect(lines[header + 2]).toMatch(/^features\.firehose\s+false\s+true$/);
      expect(run.stdout).toContain('Plan: 2 changes, 1 destructive.');
      expect(run.stdout).toContain('Apply them with: npx --no -- leadconduit-account apply\n');
      // --allow-destructive only with what it deletes.
      expect(run.stdout).toContain(
        '1 change is destructive (data_retention_in_days: lowers data retention from 365 to 30 days: lead events older than 30 days are permanently deleted). The apply refuses it unless you add --allow-destructive: add it only if that data may be lost.',
      );
      expect(run.stdout).not.toContain('apply --allow-destructive');
      expect(routes()).toEqual(['GET /account']);
      expectNoSecrets(run.stdout, run.stderr);
    });

    it('exits 0 when the live account matches the file', async () => {
      await writeState({ id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 365, features: { firehose: false } });
      const run = await cli(withFake('plan'));
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`✓ No changes: the live account matches ${FILE}.`);
      expect(routes()).toEqual(['GET /account']);
    });

    it('--json: one object with the changes, exit code still 2', async () => {
      await writeState({ features: { firehose: true } }, 'other.json');
      const run = await cli(withFake('plan', 'other.json', '--json'));
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toEqual({
        command: 'plan',
        ok: true,
        file: 'other.json',
        baseUrl: lc.url,
        account: { id: SAMPLE_ACCOUNT_ID, name: 'Acme, Inc.' },
        via: 'GET /account',
        changed: true,
        changeCount: 1,
        destructiveCount: 0,
        changes: [{ path: 'features.firehose', before: false, after: true, destructive: false }],
      });
    });

    it('an invalid file is reported and nothing is sent', async () => {
      await writeState('{"data_retention_in_days": 0}');
      const run = await cli(withFake('plan'));
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(`${FILE}:1:2  data_retention_in_days must be at least 1, not 0\n`);
      expect(run.stderr).toBe(`error: ${FILE} has 1 problem; nothing was sent.\n`);
      expect(lc.requests).toHaveLength(0);
    });

    it('without LEADCONDUIT_API_KEY: a clear error, nothing sent', async () => {
      await writeState({ features: { firehose: true } });
      for (const apiKey of [null, '  ']) {
        const run = await cli(withFake('plan'), { apiKey });
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(
          /^error: LEADCONDUIT_API_KEY is empty: plan reads the live account and needs the LeadConduit API key\. .*Nothing was sent\.\n$/,
        );
        expectNoStack(run);
      }
      const json = await cli(withFake('plan', '--json'), { apiKey: null });
      expect(JSON.parse(json.stdout)).toMatchObject({ command: 'plan', ok: false, error: expect.stringContaining('LEADCONDUIT_API_KEY is empty') });
      expect(lc.requests).toHaveLength(0);
    });

    it("a rejected API key: said in the command line's terms (LEADCONDUIT_API_KEY, --base-url), the key never shown", async () => {
      await writeState({ features: { firehose: true } });
      const run = await cli(withFake('plan'), { apiKey: 'wrong-key-0123456789' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error: LeadConduit rejected the API key (401 Unauthorized) on GET /account: Unauthorized.');
      expect(run.stderr).toContain('Check LEADCONDUIT_API_KEY: it must be a current LeadConduit API key with access to this account.');
      expect(run.stderr).not.toMatch(/api-key secret|runner's network|re-run the job/);
      expect(run.stderr).not.toContain('wrong-key-0123456789');
      expectNoStack(run);
    });

    it("--base-url follows the action's rule: https, or http on this machine only", async () => {
      await writeState({ features: { firehose: true } });
      const run = await cli(['plan', '--base-url', 'http://leadconduit.example.com']);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'error: --base-url must use https:// (got "http://leadconduit.example.com"): the API key must not travel in clear text. Plain http:// is allowed only for localhost.\n',
      );
      const bad = await cli(['plan', '--base-url', 'not a url']);
      expect(bad.stderr).toBe('error: --base-url must be a URL starting with https:// such as https://app.leadconduit.com, not "not a url".\n');
      const withPassword = await cli(['plan', '--base-url', 'https://user:hunter2-secret@exa mple.com']);
      expect(withPassword.code).toBe(1);
      expect(withPassword.stderr).toContain('--base-url must be a URL');
      expect(withPassword.stderr).not.toContain('hunter2-secret');
    });

    it('refuses a file for another account', async () => {
      await writeState({ id: '5fd4371e940df5a34a3888ff', features: { firehose: true } });
      const run = await cli(withFake('plan'));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${FILE} is for account 5fd4371e940df5a34a3888ff, but the API key reads account ${SAMPLE_ACCOUNT_ID} (Acme, Inc.)`);
    });

    it('colours only on request: FORCE_COLOR colours, NO_COLOR wins', async () => {
      await writeState({ data_retention_in_days: 30 });
      const forced = await cli(withFake('plan'), { env: { FORCE_COLOR: '1' } });
      expect(forced.code).toBe(2);
      expect(forced.stdout).toMatch(ANSI);
      const none = await cli(withFake('plan'), { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
      expect(none.stdout).not.toMatch(ANSI);
      expect(none.stdout.replace(/\s+/g, ' ')).toBe(forced.stdout.replace(ANSI_CODES, '').replace(/\s+/g, ' '));
    });
  });

  describe('apply', () => {
    it('--yes applies with one PUT and verifies', async () => {
      await writeState({ features: { firehose: true }, subscriptions: { pro: { state: 'active' } } });
      const run = await cli(withFake('apply', '--yes'));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('features.firehose');
      expect(run.stdout).toContain(`✓ Applied 2 changes; the account now matches ${FILE}.`);
      expect(routes()).toEqual(['GET /account', 'PUT /account']);
      expect(lc.account.features.firehose).toBe(true);
      expect(lc.account.subscriptions.pro?.state).toBe('active');
      expect(lc.account.subscriptions.pro?.inactive_at).toBe('2023-02-20T18:45:00Z');
      expectNoSecrets(run.stdout, run.stderr);
    });

    it("fails loudly when the PUT answers with another account's id, naming both (the same check as the action's)", async () => {
      await lc.close();
      lc = await startFakeLeadConduit({ putAnswersAccount: sampleAccount({ id: '5fd4371e940df5a34a3888ee', name: 'Globex' }) });
      await writeState({ features: { firehose: true } });
      const run = await cli(withFake('apply', '--yes'));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'LeadConduit applied the update to account 5fd4371e940df5a34a3888ee (Globex), not to account 5fd4371e940df5a34a3888b2 (Acme, Inc.), the one that was read and planned.',
      );
      expect(run.stdout).not.toContain('✓ Applied');
      expectNoStack(run);
    });

    it("refuses before sending when GET /user lists several accounts (PUT /account would change the key's own)", async () => {
      await lc.close();
      lc = await startFakeLeadConduit({
        accountEndpoint: false,
        userAccounts: [sampleAccount(), sampleAccount({ id: '5fd4371e940df5a34a3888ee', name: 'Globex' })],
      });
      await writeState({ id: '5fd4371e940df5a34a3888b2', features: { firehose: true } });
      const run = await cli(withFake('apply', '--yes'));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("the API key's user has 2 accounts");
      expect(lc.count('PUT /account')).toBe(0);
    });

    it('without --yes and without a terminal: refuses after the plan, nothing sent', async () => {
      await writeState({ features: { firehose: true } });
      const run = await cli(withFake('apply'), { input: 'yes\n' });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('features.firehose');
      expect(run.stderr).toBe(
        'error: Refusing to apply without confirmation: there is no terminal to ask on. Nothing was sent. Review the plan above, then re-run with --yes to apply without asking.\n',
      );
      expect(routes()).toEqual(['GET /account']);
      expect(lc.account.features.firehose).toBe(false);
    });

    it('refuses destructive changes without --allow-destructive, even with --yes', async () => {
      await writeState({ data_retention_in_days: 30, features: { firehose: true } });
      const refused = await cli(withFake('apply', '--yes'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^error: Refusing to apply 1 destructive change: data_retention_in_days 365 -> 30 \(lowers data retention .*\)\. Nothing was sent\. If this is intended, re-run with --allow-destructive\.\n$/,
      );
      expect(routes()).toEqual(['GET /account']);
      expect(lc.account.data_retention_in_days).toBe(365);

      const applied = await cli(withFake('apply', '--yes', '--allow-destructive'));
      expect(applied.code).toBe(0);
      expect(lc.account.data_retention_in_days).toBe(30);
      expect(lc.account.features.firehose).toBe(true);
      expect(routes()).toEqual(['GET /account', 'GET /account', 'PUT /account']);
    });

    it('nothing to apply: exit 0, no PUT, no --yes needed', async () => {
      await writeState({ features: { firehose: false } });
      const run = await cli(withFake('apply'));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('No changes');
      expect(routes()).toEqual(['GET /account']);
    });

    it('fails when the account does not take a setting', async () => {
      await lc.close();
      lc = await startFakeLeadConduit({ ignorePaths: ['features.firehose'] });
      await writeState({ features: { firehose: true } });
      const run = await cli(withFake('apply', '--yes'));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'error: LeadConduit accepted the update, but 1 setting does not match the file afterwards: features.firehose is false, expected true. Check the account in LeadConduit.',
      );
    });

    it('--json: one object with what was sent and the state before', async () => {
      await writeState({ data_retention_in_days: 400 });
      const run = await cli(withFake('apply', '--json', '--yes'));
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        command: 'apply',
        ok: true,
        applied: true,
        changes: [{ path: 'data_retention_in_days', before: 365, after: 400, destructive: false }],
        requestBody: { data_retention_in_days: 400 },
        previousState: { data_retention_in_days: 365 },
      });
      const again = await cli(withFake('apply', '--json'));
      expect(again.code).toBe(0); // already applied: nothing to confirm
      expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, applied: false, changeCount: 0 });
      await writeState({ data_retention_in_days: 500 });
      const unconfirmed = await cli(withFake('apply', '--json'));
      expect(unconfirmed.code).toBe(1);
      expect(JSON.parse(unconfirmed.stdout)).toMatchObject({ command: 'apply', ok: false, applied: false, changeCount: 1 });
      expect(lc.account.data_retention_in_days).toBe(400);
    });
  });

  describe('export', () => {
    it('writes every setting a person manages (no timestamps LeadConduit keeps); plan then reports no changes', async () => {
      const run = await cli(withFake('export'));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`✓ Wrote ${FILE}: 14 settings of account Acme, Inc. (${SAMPLE_ACCOUNT_ID}), read with GET /account.`);
      const text = await readFile(join(dir, FILE), 'utf8');
      const parsed = parseDesiredState(Buffer.from(text), FILE);
      expect(parsed.ok).toBe(true);
      const account = sampleAccount();
      expect(JSON.parse(text)).toEqual({
        $schema: SCHEMA_URL,
        id: SAMPLE_ACCOUNT_ID,
        data_retention_in_days: 365,
        data_truncated_at: '2023-11-07T05:31:56Z',
        features: account.features,
        subscriptions: {
          base: { state: 'active', product_offering_component: 'base' },
          pro: { state: 'inactive', product_offering_component: 'pro' },
        },
      });
      expect(text).not.toMatch(/created_at|updated_at|active_at|inactive_at/);
      expectNoSecrets(text, run.stdout, run.stderr);
      for (const field of ['api_key', 'keen_read_api_key', 'keen_write_api_key', 'sso_id', 'name']) expect(text).not.toContain(`"${field}"`);

      const plan = await cli(withFake('plan'));
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('No changes');
      expect(routes()).toEqual(['GET /account', 'GET /account']);
    });

    it('export, change a subscription state, apply: LeadConduit stamps the change, the check after the PUT passes, plan finds nothing', async () => {
      await lc.close();
      const NOW = '2030-05-06T07:08:09.000Z';
      lc = await startFakeLeadConduit({ now: () => new Date(NOW) });
      expect((await cli(withFake('export'))).code).toBe(0);
      const exported = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as { subscriptions: Record<string, { state: string }> };
      exported.subscriptions.pro!.state = 'active';
      await writeState(exported);

      const apply = await cli(withFake('apply', '--yes'));
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      expect(apply.stdout).toContain(`✓ Applied 1 change; the account now matches ${FILE}.`);
      const sent = lc.requests.find((r) => r.method === 'PUT')?.json;
      expect(sent).toEqual({
        subscriptions: { base: { state: 'active', product_offering_component: 'base' }, pro: { state: 'active', product_offering_component: 'pro' } },
      });
      expect(lc.account.subscriptions.pro).toMatchObject({ state: 'active', updated_at: NOW, active_at: NOW });
      expect(lc.account.subscriptions.base).toEqual(sampleAccount().subscriptions.base);

      const plan = await cli(withFake('plan'));
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('No changes');
    });

    it('--include-timestamps keeps the subscription timestamps, says what that means, and the file validates with a warning on each', async () => {
      const run = await cli(withFake('export', '--include-timestamps'));
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('warning: the subscription timestamps were written as asked: LeadConduit sets them itself');
      const written = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as { subscriptions: Record<string, Record<string, string>> };
      const base = sampleAccount().subscriptions.base!;
      expect(written.subscriptions.base).toEqual({
        state: 'active',
        product_offering_component: 'base',
        created_at: base.created_at,
        updated_at: base.updated_at,
        active_at: base.active_at,
      });
      const validate = await cli(['validate']);
      expect(validate.code).toBe(0);
      expect(validate.stderr).toMatch(
        new RegExp(`^warning: ${FILE}:\\d+:\\d+  "subscriptions\\.base\\.updated_at" is set by LeadConduit on every change`, 'm'),
      );
      const plan = await cli(withFake('plan'));
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('No changes');
    });

    it('refuses to overwrite without --force, before any request', async () => {
      await writeState({ features: { firehose: true } });
      const before = await readFile(join(dir, FILE), 'utf8');
      const run = await cli(withFake('export'));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`error: ${FILE} already exists; nothing was written. Re-run with --force to overwrite it.\n`);
      expect(await readFile(join(dir, FILE), 'utf8')).toBe(before);
      expect(lc.requests).toHaveLength(0);

      await writeState({ $schema: 'https://example.com/my.schema.json', features: { firehose: true } });
      const forced = await cli(withFake('export', '--force'));
      expect(forced.code).toBe(0);
      const written = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as Record<string, unknown>;
      expect(written.data_retention_in_days).toBe(365);
      expect(written.$schema).toBe('https://example.com/my.schema.json'); // the overwritten file's own
    });

    it('--force refuses at once to overwrite a named pipe (FIFO): no read that waits for a writer, no request', async () => {
      await mkfifo(join(dir, FILE));
      const run = await cli(withFake('export', '--force'));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `error: ${FILE} is a named pipe (FIFO), not a regular file; nothing was written. export --force overwrites only a regular file: remove it, or name another file to write.\n`,
      );
      expect(lc.requests).toHaveLength(0);
    });

    it('--force refuses at once to overwrite a link to /dev/zero: no read that never ends, no request', async () => {
      await symlink('/dev/zero', join(dir, FILE));
      const run = await cli(withFake('export', '--force'));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `error: ${FILE} is a device, not a regular file; nothing was written. export --force overwrites only a regular file: remove it, or name another file to write.\n`,
      );
      expect(lc.requests).toHaveLength(0);
    });

    it('--force reads no more of the file it overwrites than a desired-state file may hold (1 MB): the "$schema" of a larger one is not kept', async () => {
      await writeState(`{"$schema": "https://example.com/big.schema.json", "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
      const run = await cli(withFake('export', '--force'));
      expect(run.code).toBe(0);
      expect((JSON.parse(await readFile(join(dir, FILE), 'utf8')) as { $schema: string }).$schema).toBe(SCHEMA_URL);
    });

    it('leaves out what the schema refuses, says so, and still round-trips', async () => {
      const account = sampleAccount();
      account.features.brand_new_feature = true;
      account.subscriptions.enterprise = { ...account.subscriptions.pro!, product_offering_component: 'enterprise' };
      account.subscriptions.base!.state = 'x'.repeat(65); // longer than the schema allows
      lc.account = account;
      const run = await cli(withFake('export', 'config/account.json'));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('error: Could not write config/account.json: its folder does not exist.\n');
      expect(lc.requests).toHaveLength(0);

      const ok = await cli(withFake('export', 'account.json', '--json'));
      expect(ok.code).toBe(0);
      const result = JSON.parse(ok.stdout) as { skipped: { path: string }[]; written: boolean };
      expect(result.written).toBe(true);
      expect(result.skipped.map((s) => s.path)).toEqual(['features.brand_new_feature', 'subscriptions.enterprise', 'subscriptions.base.state']);
      expect(ok.stderr).toContain('warning: features.brand_new_feature was not exported: a feature this version of the schema does not know.');
      const text = await readFile(join(dir, 'account.json'), 'utf8');
      expect(parseDesiredState(Buffer.from(text), 'account.json').ok).toBe(true);
      const plan = await cli(withFake('plan', 'account.json'));
      expect(plan.code).toBe(0);
    });

    it('exports around a container of the wrong kind, and names it with what it is and what was expected', async () => {
      lc.account = { ...sampleAccount(), features: 'all', subscriptions: { ...sampleAccount().subscriptions, pro: 'legacy' } } as unknown as ReturnType<
        typeof sampleAccount
      >;
      const run = await cli(withFake('export'));
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('warning: features was not exported: it is the string "all", where an object of features (each true or false) is expected.');
      expect(run.stderr).toContain(
        'warning: subscriptions.pro was not exported: it is the string "legacy", where a subscription (an object of its fields) is expected.',
      );
      const written = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as Record<string, unknown>;
      expect(written).not.toHaveProperty('features');
      expect(written.subscriptions).toEqual({ base: { state: 'active', product_offering_component: 'base' } });
    });

    it('picks the account with --id when the API key has several', async () => {
      await lc.close();
      const other = sampleAccount({ id: '5fd4371e940df5a34a3888cc', name: 'Other', data_retention_in_days: 90 });
      lc = await startFakeLeadConduit({ accountEndpoint: false, userAccounts: [sampleAccount(), other] });
      const ambiguous = await cli(withFake('export'));
      expect(ambiguous.code).toBe(1);
      expect(ambiguous.stderr).toContain("The API key's user has 2 accounts");
      const run = await cli(withFake('export', '--id', '5fd4371e940df5a34a3888cc'));
      expect(run.code).toBe(0);
      expect(JSON.parse(await readFile(join(dir, FILE), 'utf8'))).toMatchObject({ id: '5fd4371e940df5a34a3888cc', data_retention_in_days: 90 });
      expectNoSecrets(await readFile(join(dir, FILE), 'utf8'));
    });
  });

  describe('help', () => {
    it.each(['validate', 'plan', 'apply', 'export'])('%s --help', async (command) => {
      const run = await cli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^Usage: leadconduit-account ${command} \\[options\\] \\[file\\]\\n`));
      expect(run.stdout).toContain('--json');
      if (command !== 'validate') expect(run.stdout).toContain('LEADCONDUIT_API_KEY');
      const viaHelp = await cli(['help', command]);
      expect(viaHelp.stdout).toBe(run.stdout);
    });

    it('the top level lists the commands; a wrong option is a short error', async () => {
      const run = await cli(['--help']);
      expect(run.code).toBe(0);
      for (const command of ['validate', 'plan', 'apply', 'export']) expect(run.stdout).toContain(`  ${command} [options] [file]`);
      const wrong = await cli(['plan', '--api-key', 'x']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain("error: unknown option '--api-key'");
      expectNoStack(wrong);
      const version = await cli(['--version']);
      expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    });
  });

  describe('the command lines it suggests', () => {
    /** Every "leadconduit-account <word>" in a text that is not a usage synopsis, with what comes before it. */
    const suggestions = (text: string) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('Usage: '))
        .flatMap((line) => [...line.matchAll(/(\S*\s?\S*\s?\S*\s?)leadconduit-account (?=[a-z<-])/g)].map((m) => m[0]));

    it('are written as the README runs it, npx --no -- leadconduit-account, since the bare name is not on PATH in a project install', async () => {
      await writeState({ features: { firehose: true } }, 'other file.json');
      const texts: CliRun[] = [
        await cli(['--help']),
        await cli(['plan', '--bogus']),
        await cli(['--bogus']),
        await cli(['validate', 'missing.json']),
        await cli(withFake('plan', 'other file.json')),
        await cli(withFake('export', 'exported.json')),
      ];
      const found = texts.flatMap((run) => suggestions(`${run.stdout}\n${run.stderr}`));
      expect(found.length).toBeGreaterThanOrEqual(6);
      for (const suggestion of found) expect(suggestion).toMatch(/(^|\s|")npx --no -- leadconduit-account $/);
      const all = texts.map((run) => `${run.stdout}${run.stderr}`).join('\n');
      expect(all).toContain('Start with "npx --no -- leadconduit-account export"');
      expect(all).toContain('(run "npx --no -- leadconduit-account plan --help" for usage)');
      expect(all).toContain('(run "npx --no -- leadconduit-account --help" for usage)');
      expect(all).toContain('with: npx --no -- leadconduit-account export missing.json');
      expect(all).toContain("Apply it with: npx --no -- leadconduit-account apply 'other file.json'");
      expect(all).toContain('then check with: npx --no -- leadconduit-account plan exported.json');
    });
  });
});
