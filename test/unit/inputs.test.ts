/**
 * Unit tests of src/inputs.ts (and the base-url rules it uses from src/base-url.ts): the secrets
 * masked before anything runs, what a summary shows of inputs that may be invalid, the spellings
 * of a boolean, the default timing, and the one error that names every wrong input.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { RunContext } from '../../src/github-context.js';
import { DEFAULT_TUNING, describeInputs, getSettings, inputSecrets, readInput } from '../../src/inputs.js';
import { DEFAULT_RETRY_POLICY } from '../../src/retry.js';

const WORKSPACE = '/home/runner/work/settings/settings';

function context(overrides: Partial<RunContext> = {}): RunContext {
  return {
    eventName: 'pull_request',
    repository: { owner: 'acme', repo: 'settings' },
    sha: 'e'.repeat(40),
    ref: 'refs/pull/7/merge',
    actor: 'octo-ops',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    runUrl: undefined,
    workspace: WORKSPACE,
    runnerTemp: undefined,
    pullRequest: undefined,
    ...overrides,
  };
}

/** INPUT_* variables as the runner sets them (hyphens kept). */
function inputs(values: Record<string, string>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
}

function refusal(values: Record<string, string>): InputError {
  try {
    getSettings(inputs(values), context());
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`getSettings accepted ${JSON.stringify(values)}`);
}

/** The values inputSecrets gives, by kind. */
function secrets(values: Record<string, string>): { input: string[]; field: string[] } {
  const all = inputSecrets(inputs(values));
  return { input: all.filter((s) => s.kind === 'input').map((s) => s.value), field: all.filter((s) => s.kind === 'field').map((s) => s.value) };
}

describe('readInput', () => {
  it('reads an input whose name has spaces from the variable the runner sets (spaces as underscores), trimmed', () => {
    expect(readInput({ INPUT_PREVIOUS_STATE_FILE: '  out.json ' }, 'previous state file')).toBe('out.json');
    expect(readInput({ 'INPUT_ALLOW-DESTRUCTIVE': 'true' }, 'allow-destructive')).toBe('true');
  });

  it('reads an input that is not set as empty', () => {
    expect(readInput({}, 'api-key')).toBe('');
  });
});

describe('inputSecrets', () => {
  it('names the api-key and the github-token as secrets', () => {
    expect(inputSecrets(inputs({ 'api-key': ' lc-key-51c0ffee ', 'github-token': 'ghs_tok3n', 'base-url': 'https://app.leadconduit.com' }))).toEqual([
      { value: 'lc-key-51c0ffee', kind: 'input' },
      { value: 'ghs_tok3n', kind: 'input' },
    ]);
  });

  it('names a password in the base-url as a secret input and its user name as a field value', () => {
    expect(secrets({ 'api-key': 'lc-key-51c0ffee', 'base-url': 'https://API:pw-7d1e22@leadconduit.invalid' })).toEqual({
      input: ['lc-key-51c0ffee', '', 'pw-7d1e22'],
      field: ['API'],
    });
  });

  it('names a base-url with only a user name, and one with only a password', () => {
    expect(secrets({ 'base-url': 'https://lc-key-as-user-9f2@leadconduit.invalid' })).toEqual({ input: ['', ''], field: ['lc-key-as-user-9f2'] });
    expect(secrets({ 'base-url': 'https://:pw-alone-4c81@leadconduit.invalid' })).toEqual({ input: ['', '', 'pw-alone-4c81'], field: [] });
  });

  it('names a password as written when its % escape is malformed, and decoded when it is not', () => {
    expect(secrets({ 'base-url': 'https://API:pw%zz-6b3a@leadconduit.invalid' }).input).toContain('pw%zz-6b3a');
    expect(secrets({ 'base-url': 'https://API:p%40ss-6b3a@leadconduit.invalid' }).input).toContain('p@ss-6b3a');
  });

  it.each([
    ['https://leaky:hunter2/secret99@leadconduit.invalid', 'hunter2/secret99'],
    ['https://leaky:hunter2?secret99@leadconduit.invalid', 'hunter2?secret99'],
    ['https://leaky:hunter2#secret99@leadconduit.invalid', 'hunter2#secret99'],
    ['https://leaky:hunter2@secret99@leadconduit.invalid', 'hunter2@secret99'],
    ['https//leaky:hunter2/secret99@leadconduit.invalid', 'hunter2/secret99'],
    ['https:\\\\leaky:hunter2/secret99@leadconduit.invalid', 'hunter2/secret99'],
    ['see leaky:hunter2/secret99@leadconduit.invalid', 'hunter2/secret99'],
  ])('names the whole password of %s, up to the last "@", and never shows it', (url, password) => {
    expect(secrets({ 'base-url': url }).input).toContain(password);
    const shown = describeInputs(inputs({ 'base-url': url })).baseUrl;
    expect(shown).not.toMatch(/hunter2|secret99|leaky/);
    expect(shown).toContain('leadconduit.invalid');
  });

  it('names the password of a base-url whose scheme lost its colon (https//user:password@host)', () => {
    expect(secrets({ 'base-url': 'https//API:pw-e0a7b5@leadconduit.invalid' }).input).toContain('pw-e0a7b5');
    expect(secrets({ 'base-url': 'https//:pw-e0a7b6@leadconduit.invalid' }).input).toContain('pw-e0a7b6');
  });
});

describe('describeInputs', () => {
  it('without inputs, names the default file and LeadConduit', () => {
    expect(describeInputs({})).toEqual({ file: 'leadconduit-account.json', baseUrl: 'https://app.leadconduit.com' });
  });

  it('names the file and base-url given', () => {
    expect(describeInputs(inputs({ file: 'config/account.json', 'base-url': 'https://leadconduit.invalid/api' }))).toEqual({
      file: 'config/account.json',
      baseUrl: 'https://leadconduit.invalid/api',
    });
  });

  it('shows a base-url without its user name and password, even one that is no valid URL', () => {
    expect(describeInputs(inputs({ 'base-url': 'https://API:pw-7d1e22@leadconduit.invalid' })).baseUrl).toBe('https://leadconduit.invalid');
    expect(describeInputs(inputs({ 'base-url': 'https://API:pw-7d1e22@exa mple' })).baseUrl).toBe('https://exa mple');
    expect(describeInputs(inputs({ 'base-url': 'https//API:pw-7d1e22@leadconduit.invalid' })).baseUrl).toBe('https//leadconduit.invalid');
  });
});

describe('getSettings', () => {
  it('reads the file leadconduit-account.json when the file input is not set, as action.yml documents', () => {
    expect(getSettings({}, context())).toMatchObject({ file: 'leadconduit-account.json', repoPath: 'leadconduit-account.json' });
  });

  it('gives the file’s path from the repository root with "/" separators, also for an absolute path inside the workspace', () => {
    expect(getSettings(inputs({ file: 'config/prod/account.json' }), context()).repoPath).toBe('config/prod/account.json');
    expect(getSettings(inputs({ file: `${WORKSPACE}/config/account.json` }), context()).repoPath).toBe('config/account.json');
    expect(getSettings(inputs({ file: './config/../settings/account.json' }), context()).repoPath).toBe('settings/account.json');
  });

  it.each(['true', 'True', 'TRUE'])('reads %s as true', (raw) => {
    expect(getSettings(inputs({ comment: 'false', 'allow-destructive': raw }), context()).allowDestructive).toBe(true);
  });

  it.each(['false', 'False', 'FALSE'])('reads %s as false', (raw) => {
    expect(getSettings(inputs({ comment: raw }), context()).comment).toBe(false);
  });

  it('refuses other spellings of a boolean', () => {
    for (const raw of ['tRUE', 'yes', 'on', '1', 'fALSE'])
      expect(refusal({ comment: raw }).message).toBe(`Input "comment" must be true or false, not "${raw}".`);
  });

  it('times a real run with 30 s a request, 10 minutes in all, and the shared retry policy', () => {
    expect(DEFAULT_TUNING).toEqual({ requestTimeoutMs: 30_000, deadlineMs: 600_000, retry: DEFAULT_RETRY_POLICY });
    expect(getSettings({}, context()).tuning).toEqual({ requestTimeoutMs: 30_000, deadlineMs: 600_000, retry: DEFAULT_RETRY_POLICY });
  });

  it('takes the timing a test gives, keeping the defaults for what it leaves out', () => {
    expect(getSettings({}, context(), { requestTimeoutMs: 250 }).tuning).toEqual({ requestTimeoutMs: 250, deadlineMs: 600_000, retry: DEFAULT_RETRY_POLICY });
  });

  it('one wrong input: the error is its problem alone', () => {
    const error = refusal({ mode: 'deploy' });
    expect(error.message).toBe('Input "mode" must be one of auto, plan, apply, check, validate, not "deploy".');
    expect(error.details).toEqual([]);
  });

  it('several wrong inputs: one error counting them, each problem after the other, and each a detail line', () => {
    const error = refusal({ mode: 'deploy', comment: 'yes' });
    expect(error.message).toBe(
      '2 inputs are invalid: Input "mode" must be one of auto, plan, apply, check, validate, not "deploy". Input "comment" must be true or false, not "yes".',
    );
    expect(error.details).toEqual([
      'Input "mode" must be one of auto, plan, apply, check, validate, not "deploy".',
      'Input "comment" must be true or false, not "yes".',
    ]);
  });

  it('refuses a base-url with only a user name, or only a password, without quoting either', () => {
    for (const url of ['https://lc-key-as-user-9f2@leadconduit.invalid', 'https://:pw-alone-4c81@leadconduit.invalid']) {
      expect(refusal({ 'base-url': url }).message).toBe('Input "base-url" must not contain a user name or password; the API key goes in the "api-key" input.');
    }
  });

  it('quotes a base-url that is no URL without its password', () => {
    for (const [url, shown] of [
      ['https//API:pw-e0a7b5@leadconduit.invalid', 'https//leadconduit.invalid'],
      ['https://API:pw-e0a7b5@exa mple', 'https://exa mple'],
    ] as const) {
      const { message } = refusal({ 'base-url': url });
      expect(message).toContain(`, not "${shown}".`);
      expect(message).not.toContain('pw-e0a7b5');
    }
  });
});
