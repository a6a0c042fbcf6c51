/**
 * Unit tests of src/desired-state.ts beyond test/desired-state.test.ts: which leading bytes are a
 * byte order mark and which are only a broken encoding, the cap on problems shown (with the count of
 * all), where a problem of the whole file points, the warning for a subscription's created_at, and
 * the secrets found in a file the parser cannot read.
 */
import { describe, expect, it } from 'vitest';
import type { LiveAccount } from '../../src/account-schema.js';
import { MAX_PROBLEMS, parseDesiredState, secretsInFile, type ParseResult, type Problem } from '../../src/desired-state.js';
import { planChanges } from '../../src/plan.js';
import { buildAccountUpdate } from '../../src/request-body.js';
import { sampleAccount } from '../support/sample-account.js';
import { InvalidFileError, validateDesiredState } from '../../src/steps.js';
import { Redactor } from '../../src/redact.js';

const FILE = 'leadconduit-account.json';

function parse(bytes: string | readonly number[]): ParseResult {
  return parseDesiredState(typeof bytes === 'string' ? Buffer.from(bytes) : Uint8Array.from(bytes), FILE);
}

function rejected(bytes: string | readonly number[]): { problems: Problem[]; total: number } {
  const result = parse(bytes);
  if (result.ok) throw new Error(`expected problems, the file was accepted: ${String(bytes)}`);
  return result;
}

function only(bytes: string | readonly number[]): Problem {
  const { problems } = rejected(bytes);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  return problems[0]!;
}

/** The sample account as the action sees it (the client drops its secrets). */
function liveAccount(): LiveAccount {
  const { api_key: _a, keen_read_api_key: _r, keen_write_api_key: _w, ...account } = sampleAccount();
  return account as LiveAccount;
}

const ascii = (text: string) => [...Buffer.from(text)];
const UTF16 = "the file is saved as UTF-16 (as Windows PowerShell's > and Out-File do by default); save it as UTF-8 without BOM";
const BOM = 'the file starts with a byte order mark (BOM); save it as UTF-8 without BOM';
const NOT_UTF8 = /^the file is not valid UTF-8 text: this character was saved in another encoding/;

describe('byte order marks and encodings', () => {
  it('a UTF-16 file is recognised by either byte order mark: little-endian (FF FE) and big-endian (FE FF)', () => {
    expect(only([0xff, 0xfe, ...ascii('{\0}\0')]).message).toBe(UTF16);
    expect(only([0xfe, 0xff, ...ascii('\0{\0}')]).message).toBe(UTF16);
  });

  it('the three bytes EF BB BF are a UTF-8 byte order mark', () => {
    expect(only([0xef, 0xbb, 0xbf, ...ascii('{}')])).toEqual({ path: '', message: BOM, line: 1, column: 1 });
  });

  it.each([
    ['FF then "{" (a Windows-1252 ÿ)', [0xff, ...ascii('{}')]],
    ['FE then "{"', [0xfe, ...ascii('{}')]],
    ['"{" then FE', [...ascii('{'), 0xfe, ...ascii('}')]],
    ['"{" then FF', [...ascii('{'), 0xff, ...ascii('}')]],
  ])('a file that starts with only part of a UTF-16 mark (%s) is not called UTF-16: it is not valid UTF-8', (_name, bytes) => {
    const problem = only(bytes);
    expect(problem.message).toMatch(NOT_UTF8);
    expect(problem.message).not.toContain('UTF-16');
  });

  it.each([
    ['EF BB then "{"', [0xef, 0xbb, ...ascii('{}')]],
    ['EF then "{" then BF', [0xef, ...ascii('{'), 0xbf, ...ascii('}')]],
    ['"{" then BB BF', [...ascii('{'), 0xbb, 0xbf, ...ascii('}')]],
    ['"{" then a space then BF', [...ascii('{ '), 0xbf, ...ascii('}')]],
  ])('a file that starts with only part of the UTF-8 mark (%s) is not called a BOM: it is not valid UTF-8', (_name, bytes) => {
    const problem = only(bytes);
    expect(problem.message).toMatch(NOT_UTF8);
    expect(problem.message).not.toContain('byte order mark');
  });

  it('a byte of another encoding is pointed at where it stands', () => {
    const problem = only([...ascii('{\n  "subscriptions": {"pro": {"state": "activ'), 0xe9, ...ascii('"}}\n}')]);
    expect(problem).toMatchObject({ path: '', line: 2, column: 44 });
    expect(problem.message).toMatch(NOT_UTF8);
  });
});

describe('problems of the whole file', () => {
  it('a file that is not one object is pointed at where its value starts, not at line 1', () => {
    expect(only('\n\n   [{"data_retention_in_days": 365}]\n')).toEqual({
      path: '',
      message: 'the file must hold one JSON object ({ ... }) at the top level, not an array',
      line: 3,
      column: 4,
    });
  });

  it(`at most ${MAX_PROBLEMS} problems are returned, the first ones in file order, with the count of all of them`, () => {
    const keys = Array.from({ length: MAX_PROBLEMS + 10 }, (_, i) => `  "unknown_${String(i).padStart(2, '0')}": 1`);
    const { problems, total } = rejected(`{\n${keys.join(',\n')}\n}`);
    expect(total).toBe(MAX_PROBLEMS + 10);
    expect(problems).toHaveLength(MAX_PROBLEMS);
    expect(problems.map((p) => p.path)).toEqual(Array.from({ length: MAX_PROBLEMS }, (_, i) => `unknown_${String(i).padStart(2, '0')}`));
    expect(problems.at(-1)?.line).toBe(MAX_PROBLEMS + 1);
  });

  it('a file of exactly as many problems as are shown shows them all', () => {
    const keys = Array.from({ length: MAX_PROBLEMS }, (_, i) => `"unknown_${i}": 1`);
    const { problems, total } = rejected(`{${keys.join(', ')}}`);
    expect([problems.length, total]).toEqual([MAX_PROBLEMS, MAX_PROBLEMS]);
  });
});

describe('a retention written oddly', () => {
  it.each([
    ['1e3', 1000],
    ['365.0', 365],
    ['3.65e2', 365],
  ])('%s is named with its path, so the annotation and the summary say which setting', (raw, value) => {
    expect(only(`{\n  "data_retention_in_days": ${raw}\n}`)).toEqual({
      path: 'data_retention_in_days',
      message: `data_retention_in_days must be written as a plain whole number (e.g. ${value}), not ${raw}`,
      line: 2,
      column: 3,
    });
  });

  it('a plain whole number, negative or not, is not reported as written oddly', () => {
    expect(parse('{"data_retention_in_days": 365}').ok).toBe(true);
    expect(only('{"data_retention_in_days": -30}').message).toBe('data_retention_in_days must be at least 1, not -30');
  });
});

describe('warnings of a valid file', () => {
  it("created_at: LeadConduit sets it when the subscription is created, and the file's value is sent with every update of a subscription", () => {
    const result = parse('{\n  "subscriptions": {\n    "base": {"state": "active", "created_at": "2022-03-10T09:00:00Z"}\n  }\n}');
    if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.problems)}`);
    expect(result.desired.warnings).toEqual([
      {
        path: 'subscriptions.base.created_at',
        message:
          '"subscriptions.base.created_at" is set by LeadConduit when the subscription is created: the file\'s value is sent with every update that changes a subscription, even where it equals the live value, and LeadConduit may keep its own. Remove it unless you mean to manage it.',
        line: 3,
        column: 33,
      },
    ]);
  });

  it('the created_at warning says what the PUT body does: the timestamp is sent though it equals the live value', () => {
    // base.created_at is the live value; only pro changes, yet base goes out with the file's created_at.
    const text = JSON.stringify({ subscriptions: { base: { created_at: '2021-01-04T15:00:00Z' }, pro: { state: 'active' } } });
    const result = parse(text);
    if (!result.ok) throw new Error('rejected');
    const account = liveAccount();
    const changes = planChanges(result.desired.state, account);
    expect(changes.map((c) => c.path)).toEqual(['subscriptions.pro.state']);
    expect(buildAccountUpdate(result.desired.state, account, changes).subscriptions?.base).toMatchObject({ created_at: '2021-01-04T15:00:00Z' });
    const [warning] = result.desired.warnings;
    expect(warning?.message).toContain('sent with every update that changes a subscription, even where it equals the live value');
    expect(warning?.message).not.toMatch(/only where it differs/);
  });

  it('each timestamp has its own advice: created_at, updated_at and active_at are not warned alike', () => {
    const result = parse(
      '{"subscriptions": {"pro": {"created_at": "2022-03-10T09:00:00Z", "updated_at": "2023-02-20T18:45:00Z", "inactive_at": "2023-02-20T18:45:00Z"}}}',
    );
    if (!result.ok) throw new Error('rejected');
    const [created, updated, inactive] = result.desired.warnings.map((w) => w.message);
    expect(created).toContain('when the subscription is created');
    expect(updated).toContain('on every change of the subscription');
    expect(inactive).toContain('manage "state" instead');
  });

  it('a file without subscription timestamps has no warnings', () => {
    const result = parse('{"subscriptions": {"pro": {"state": "active"}, "partner": {}}}');
    expect(result.ok && result.desired.warnings).toEqual([]);
  });
});

describe('secretsInFile', () => {
  it('finds the secrets of a file with comments and trailing commas, as an editor would still read it', () => {
    expect(secretsInFile('// copied from GET /account\n{\n  "api_key": /* the key */ "a-1",\n  "keen_read_api_key": "k-2",\n}\n')).toEqual(['a-1', 'k-2']);
  });

  it('finds the strings under any key named like a credential, at any depth', () => {
    expect(secretsInFile('{"password": "p-1", "features": {"auth_token": "t-2"}, "credentials": {"value": ["c-3"]}, "name": "Acme"}')).toEqual([
      'p-1',
      't-2',
      'c-3',
    ]);
  });

  it('a file nested too deep for the parser holds no secret to mask, and does not throw', () => {
    expect(secretsInFile(`{"api_key": ${'['.repeat(200_000)}`)).toEqual([]);
  });
});

describe('what a message quotes of the file is scrubbed before it is cut', () => {
  const KEY = 'lc-test-api-key-5a7e21c04d';
  const scrub = (text: string) => text.split(KEY).join('***');
  const messages = (text: string) => {
    const result = parseDesiredState(Buffer.from(text), FILE, undefined, { scrub });
    if (result.ok) throw new Error('expected problems');
    return result.problems.map((p) => p.message).join('\n');
  };

  it.each([
    ['a schema problem (a string of the wrong kind)', `{"data_retention_in_days": "${'x'.repeat(25)}${KEY}"}`],
    ['a syntax problem (an unquoted value)', `{"data_retention_in_days": ${'x'.repeat(13)}${KEY}}`],
    ['a syntax problem (a missing comma before a long string)', `{"data_retention_in_days": 1 "${'x'.repeat(29)}${KEY}"}`],
  ])('%s: the secret is masked whole, no piece of it is quoted', (_what, text) => {
    const said = messages(text);
    expect(said).toContain('***');
    for (let i = 0; i + 8 <= KEY.length; i++) expect(said).not.toContain(KEY.slice(i, i + 8));
  });
});

describe("a secret's value is never quoted in a syntax message", () => {
  const VALUE = 'abcdefghijklmnop';
  const said = (text: string) =>
    rejected(text)
      .problems.map((p) => p.message)
      .join('\n');

  it.each([
    ['a comment between the key and the value', `{"api_key": // the key\n ${VALUE}}`],
    ['a block comment between the key and the value', `{"api_key": /* the key */ ${VALUE}}`],
    ['more than 200 characters of white space before the value', `{"api_key":${' '.repeat(300)}${VALUE}}`],
    ['a key named like a password', `{"password": ${VALUE}}`],
    ['a key named like a token', `{"auth_token": ${VALUE}}`],
    ['a key named like a secret', `{"client_secret": ${VALUE}}`],
    ['a key without its colon', `{"api_key" ${VALUE}}`],
    ['a value inside an object under a secret key', `{"credentials": {"value": ${VALUE}}}`],
    ['a value inside a list under a secret key', `{"api_keys": ["x", ${VALUE}]}`],
  ])('%s', (_what, text) => {
    expect(said(text)).not.toContain(VALUE.slice(0, 8));
  });

  it('a secret number with a leading zero is not quoted by the fix either', () => {
    const message = said('{"keen_read_api_key": 0123456789}');
    expect(message).toContain('a number must not start with 0: write it without the leading zero');
    expect(message).not.toContain('123456789');
  });

  it('a value that is no secret is still quoted, and so is a secret key itself', () => {
    expect(said(`{"data_retention_in_days": ${VALUE}}`)).toContain(VALUE);
    expect(said('{api_key: "x"}')).toContain('write "api_key", not api_key');
  });
});

describe('a file nested thousands of levels deep', () => {
  it('is refused as invalid, never an unexpected error, however much of the stack the caller already uses', () => {
    const unexpected: string[] = [];
    // Recursion to use up part of the stack before the file is read, as a deeper caller would.
    const after = (frames: number, work: () => void): void => (frames === 0 ? work() : after(frames - 1, work));
    for (let nesting = 1000; nesting <= 12_000; nesting += 1000) {
      const text = `{"api_key": "committed-key-123456", "x": ${'['.repeat(nesting)}1${']'.repeat(nesting)}}\n`;
      for (let used = 0; used <= 8000; used += 500) {
        try {
          after(used, () => validateDesiredState(Buffer.from(text), 'f.json', new Redactor(() => {})));
        } catch (error) {
          if (!(error instanceof InvalidFileError)) unexpected.push(`${nesting} deep, ${used} frames used: ${String(error).slice(0, 60)}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
  });
});
