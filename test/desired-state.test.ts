/**
 * parseDesiredState on its own: valid files give their state; problems come with did-you-mean
 * suggestions, all at once, in file order; dates are explained in words, with the fix.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { desiredStateSchema, FEATURE_NAMES, SUBSCRIPTION_FIELDS, SUBSCRIPTION_MANAGED_FIELDS, SUBSCRIPTION_NAMES } from '../src/account-schema.js';
import { MAX_FILE_BYTES, parseDesiredState, secretsInFile, type Problem } from '../src/desired-state.js';
import { dateTimeProblem } from '../src/schema-problems.js';

const VALID_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/valid');
const FILE = 'leadconduit-account.json';

function parse(text: string | Buffer) {
  return parseDesiredState(typeof text === 'string' ? Buffer.from(text) : text, FILE);
}

function problemsOf(text: string | Buffer): Problem[] {
  const result = parse(text);
  if (result.ok) throw new Error(`expected problems, the file was accepted: ${String(text)}`);
  return result.problems;
}

function only(text: string): Problem {
  const problems = problemsOf(text);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  return problems[0]!;
}

describe('valid files', () => {
  const expected: Record<string, unknown> = {
    'minimal.json': {},
    'retention-only.json': { data_retention_in_days: 365 },
    'schema-and-id.json': { $schema: './leadconduit-account.schema.json', id: '5FD4371E940DF5A34A3888B2', features: { firehose: false } },
    'offsets-and-fractions.json': { data_truncated_at: '2023-11-07T00:01:56.123456789-05:30' },
    'crlf.json': { data_retention_in_days: 90, features: { real_time_bidding: true } },
    'tab-indented.json': { data_retention_in_days: 30, subscriptions: { base: { state: 'active' } } },
    'one-line-no-final-newline.json': { data_retention_in_days: 36500, features: { seller_access: true } },
    'unicode-text.json': { subscriptions: { partner: { state: 'activé', product_offering_component: 'partenaire – été 🚀' } } },
    'empty-sections.json': { features: {}, subscriptions: { pro: {} } },
    'subscription-timestamps.json': {
      subscriptions: {
        pro: {
          state: 'active',
          product_offering_component: 'pro',
          created_at: '2022-03-10T09:00:00Z',
          updated_at: '2023-02-20T18:45:00Z',
          active_at: '2022-03-10T09:00:00Z',
          inactive_at: '2023-02-20T18:45:00Z',
        },
      },
    },
  };

  it('every file in test/fixtures/valid has an expectation here (full.json is checked below)', async () => {
    const files = (await readdir(VALID_DIR)).filter((name) => name.endsWith('.json')).sort();
    expect(files).toEqual([...Object.keys(expected), 'full.json'].sort());
  });

  it.each(Object.entries(expected))('%s gives its state, its text and the file name', async (name, state) => {
    const bytes = await readFile(join(VALID_DIR, name));
    const result = parseDesiredState(bytes, `config/${name}`);
    if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.problems)}`);
    expect(result.desired.state).toEqual(state);
    expect(result.desired.file).toBe(`config/${name}`);
    expect(result.desired.text).toBe(bytes.toString('utf8'));
  });

  it('the full file keeps every field, every feature and every subscription', async () => {
    const text = await readFile(join(VALID_DIR, 'full.json'), 'utf8');
    const result = parse(text);
    if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.problems)}`);
    expect(result.desired.state).toEqual(JSON.parse(text));
    const { state } = result.desired;
    expect(Object.keys(state).sort()).toEqual(['$schema', 'data_retention_in_days', 'data_truncated_at', 'features', 'id', 'subscriptions']);
    expect(Object.keys(state.features ?? {}).sort()).toEqual([...FEATURE_NAMES].sort());
    expect(Object.keys(state.subscriptions ?? {}).sort()).toEqual([...SUBSCRIPTION_NAMES].sort());
    for (const name of SUBSCRIPTION_NAMES) expect(Object.keys(state.subscriptions?.[name] ?? {}).sort()).toEqual([...SUBSCRIPTION_MANAGED_FIELDS].sort());
    expect(result.desired.warnings).toEqual([]);
  });

  it('a subscription timestamp is accepted, with a warning on its line saying LeadConduit sets it and what managing it means', async () => {
    const result = parse(await readFile(join(VALID_DIR, 'subscription-timestamps.json'), 'utf8'));
    if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.problems)}`);
    expect(result.desired.warnings.map((w) => [w.path, w.line, w.column])).toEqual([
      ['subscriptions.pro.created_at', 6, 7],
      ['subscriptions.pro.updated_at', 7, 7],
      ['subscriptions.pro.active_at', 8, 7],
      ['subscriptions.pro.inactive_at', 9, 7],
    ]);
    expect(result.desired.warnings[1]?.message).toBe(
      '"subscriptions.pro.updated_at" is set by LeadConduit on every change of the subscription: after the next change the live value differs from this one (drift), and an apply that changes the subscription fails its final check. Remove it to stop managing it.',
    );
    expect(result.desired.warnings[2]?.message).toBe(
      '"subscriptions.pro.active_at" is set by LeadConduit when the subscription\'s state changes: manage "state" instead, and remove it.',
    );
  });

  it('the CRLF and tab fixtures still hold their CRs and tabs (git or an editor must not normalise them)', async () => {
    expect(await readFile(join(VALID_DIR, 'crlf.json'), 'utf8')).toMatch(/^\{\r\n {2}"data_retention_in_days": 90,\r\n/);
    expect(await readFile(join(VALID_DIR, 'tab-indented.json'), 'utf8')).toContain('\n\t\t\t"state"');
  });

  it('positions in a CRLF file count columns as an editor does (the CR is not a column)', async () => {
    const result = parse(await readFile(join(VALID_DIR, 'crlf.json')));
    if (!result.ok) throw new Error('rejected');
    expect(result.desired.source.locate(['features', 'real_time_bidding'])).toEqual({ line: 4, column: 5 });
    expect(result.desired.source.locate(['data_retention_in_days'])).toEqual({ line: 2, column: 3 });
  });

  it('a file of exactly the size limit is read; one byte more is refused', () => {
    const padded = (size: number) => Buffer.from(`{"data_retention_in_days": 365}${' '.repeat(size - 31)}`);
    expect(padded(MAX_FILE_BYTES).length).toBe(MAX_FILE_BYTES);
    expect(parse(padded(MAX_FILE_BYTES)).ok).toBe(true);
    expect(only(padded(MAX_FILE_BYTES + 1).toString()).message).toMatch(/^the file is 1\.0 MB \(1,048,577 bytes\);.*at most 1\.0 MB \(1,048,576 bytes\)/);
  });

  it('lowest and highest retention, a leap day and an upper-case id are valid', () => {
    for (const text of [
      '{"data_retention_in_days": 1}',
      '{"data_retention_in_days": 36500}',
      '{"data_truncated_at": "2024-02-29T23:59:59Z"}',
      '{"data_truncated_at": "2000-02-29T00:00:00-12:00"}',
      '{"id": "ABCDEF0123456789abcdef01"}',
    ]) {
      expect(parse(text).ok, text).toBe(true);
    }
  });
});

describe('did you mean', () => {
  it.each([
    ['data_retension_in_days', '{"data_retension_in_days": 365}', 'unknown setting "data_retension_in_days"; did you mean "data_retention_in_days"?'],
    ['hyphens for underscores', '{"data-retention-in-days": 365}', 'did you mean "data_retention_in_days"?'],
    ['upper case', '{"DATA_TRUNCATED_AT": "2023-11-07T05:31:56Z"}', 'did you mean "data_truncated_at"?'],
    ['a singular', '{"feature": {}}', 'unknown setting "feature"; did you mean "features"?'],
    ['subscription', '{"subscription": {}}', 'did you mean "subscriptions"?'],
    ['$shema', '{"$shema": "x"}', 'did you mean "$schema"?'],
    ['firehos', '{"features": {"firehos": true}}', 'unknown feature "firehos" in features; did you mean "firehose"?'],
    ['fire_hose', '{"features": {"fire_hose": true}}', 'did you mean "firehose"?'],
    ['realtime_bidding', '{"features": {"realtime_bidding": true}}', 'did you mean "real_time_bidding"?'],
    ['Buyer Access', '{"features": {"Buyer Access": true}}', 'did you mean "buyer_access"?'],
    ['leadconduit_trusted_form_decisions', '{"features": {"leadconduit_trusted_form_decisions": true}}', 'did you mean "leadconduit_trustedform_decisions"?'],
    ['prro', '{"subscriptions": {"prro": {}}}', 'unknown subscription "prro" in subscriptions; did you mean "pro"?'],
    ['partnr', '{"subscriptions": {"partnr": {}}}', 'did you mean "partner"?'],
    ['stat', '{"subscriptions": {"pro": {"stat": "active"}}}', 'unknown subscription field "stat" in subscriptions.pro; did you mean "state"?'],
    ['productOfferingComponent', '{"subscriptions": {"base": {"productOfferingComponent": "x"}}}', 'did you mean "product_offering_component"?'],
  ])('%s', (_name, text, message) => {
    expect(only(text).message).toContain(message);
  });

  it.each([
    [
      'a setting far from any',
      '{"retention": 30}',
      'unknown setting "retention"; allowed top-level keys: $schema, id, data_retention_in_days, data_truncated_at, features, subscriptions',
    ],
    ['a feature far from any', '{"features": {"lead_scoring": true}}', `known features: ${FEATURE_NAMES.join(', ')}`],
    ['a subscription far from any', '{"subscriptions": {"gold": {}}}', 'known subscriptions: base, pro, partner'],
    ['a field far from any', '{"subscriptions": {"pro": {"price": 10}}}', `allowed fields: ${SUBSCRIPTION_FIELDS.join(', ')}`],
  ])('no guess for %s: the allowed names are listed instead', (_name, text, message) => {
    const { message: actual } = only(text);
    expect(actual).toContain(message);
    expect(actual).not.toContain('did you mean');
  });

  it('names where a key belongs when it is in the wrong place', () => {
    expect(only('{"real_time_bidding": true}').message).toBe(
      '"real_time_bidding" is a feature: put it inside "features", e.g. "features": {"real_time_bidding": true}',
    );
    expect(only('{"partner": {}}').message).toContain('"partner" is a subscription: put it inside "subscriptions"');
    expect(only('{"subscriptions": {"state": "active"}}').message).toContain('"state" is a subscription field: put it inside a subscription');
    expect(only('{"subscriptions": {"active_at": "2023-11-07T05:31:56Z"}}').message).toContain(
      '"active_at" is a subscription field: put it inside a subscription',
    );
    expect(only('{"subscriptions": {"pro": {"product_offering_id": "x"}}}').message).toContain('"subscriptions.pro.product_offering_id" is read-only');
    expect(only('{"keen_write_api_key": "k-123456"}').message).toContain('It is also a secret: remove it from the repository and rotate it');
  });
});

describe('every problem at once', () => {
  const text = [
    '{',
    '  "id": "acme",',
    '  "data_retension_in_days": 365,',
    '  "data_retention_in_days": 0,',
    '  "data_truncated_at": "2023-02-30T00:00:00Z",',
    '  "name": "Acme",',
    '  "features": {"firehose": "true", "firehose": 1, "lead_scoring": true},',
    '  "subscriptions": {',
    '    "pro": {"state": "", "stat": "active", "id": "x", "updated_at": "2023-11-07"},',
    '    "gold": {}',
    '  }',
    '}',
  ].join('\n');

  it('reports every problem, once each, in file order, each at its key', () => {
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.path])).toEqual([
      [2, 3, 'id'],
      [3, 3, 'data_retension_in_days'],
      [4, 3, 'data_retention_in_days'],
      [5, 3, 'data_truncated_at'],
      [6, 3, 'name'],
      [7, 36, 'features.firehose'], // the duplicate, at its second occurrence
      [7, 36, 'features.firehose'], // 1 (the value kept) is not a boolean, reported at the key JSON keeps
      [7, 51, 'features.lead_scoring'],
      [9, 13, 'subscriptions.pro.state'],
      [9, 26, 'subscriptions.pro.stat'],
      [9, 44, 'subscriptions.pro.id'],
      [9, 55, 'subscriptions.pro.updated_at'],
      [10, 5, 'subscriptions.gold'],
    ]);
    expect(problems[5]!.message).toContain('duplicate key "firehose" (first at line 7, column 16, again at column 36)');
    expect(problems[6]!.message).toBe('features.firehose must be true or false, not 1');
  });

  it('a syntax error stops there: the values of a file that is not JSON are not judged', () => {
    const problems = problemsOf('{\n  "data_retention_in_days": "365",\n  "features": {"firehose": true,}\n}\n');
    expect(problems).toEqual([{ path: '', line: 3, column: 32, message: 'trailing comma: JSON allows no comma after the last item; remove it' }]);
  });

  it('an unclosed string ends at its line for every check: brackets on later lines still count toward the depth limit', () => {
    // One bracket scanner serves the depth limit and the "not closed" message; a string cannot hold a raw line break.
    expect(problemsOf(`{"a": "unterminated\n${'['.repeat(40)}`)).toEqual([
      { path: '', line: 2, column: 32, message: 'the JSON nests deeper than 32 levels here; a desired-state file is at most 3 levels deep' },
    ]);
    expect(problemsOf('{"a": "x\n, "b": {"c": 1}').map((p) => p.message)).toEqual(['a string is not closed: a double quote (") is missing']);
  });

  it('echoes of one syntax error are not reported, but separate mistakes are', () => {
    expect(problemsOf('{\n  "a": NaN,\n  "b": 1\n}').map((p) => p.message)).toEqual(['NaN is not a JSON value; write a number']);
    expect(problemsOf("{'a': 'b'}").map((p) => p.message)).toEqual(['strings and keys must use double quotes ("), not single quotes']);
    expect(problemsOf('{\n  // a\n  "a": 1,\n  "b": [1,],\n  "c": 2\n  "d": 3,\n}').map((p) => [p.line, p.column])).toEqual([
      [2, 3],
      [4, 10],
      [5, 9],
      [6, 9],
    ]);
  });

  it('never quotes a secret value in a syntax message', () => {
    for (const text of [
      '{"api_key": lc-FAKE-raw-5e6f7a8b}',
      '{"api_key": \'lc-FAKE-raw-5e6f7a8b\'}',
      '{"api_key" "lc-FAKE-raw-5e6f7a8b"}',
      '{"keen_read_api_key":lc-FAKE-raw-5e6f7a8b}',
      // The value on the line after its key.
      '{\n  "api_key":\n    lc-FAKE-raw-5e6f7a8b\n}',
      '{\n  "api_key":\n    \'lc-FAKE-raw-5e6f7a8b\'\n}',
      '{\n  "keen_write_api_key"\n  "lc-FAKE-raw-5e6f7a8b"\n}',
    ]) {
      const problems = problemsOf(text);
      expect(problems.length, text).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.message, text).not.toContain('5e6f7a8b');
    }
  });

  it('secretsInFile lists the secret values a file holds, for masking', () => {
    expect(secretsInFile('{"api_key": "a-1", "keen_read_api_key": "k-2", "name": "Acme", "keen_write_api_key": 3}')).toEqual(['a-1', 'k-2']);
    expect(secretsInFile('null')).toEqual([]);
    expect(secretsInFile('api_key')).toEqual([]);
    // A syntax error elsewhere must not hide a committed key.
    expect(secretsInFile('{"api_key": "a-1", "data_retention_in_days": 30,}')).toEqual(['a-1']);
    expect(secretsInFile('{"api_key": "a-1" "features": {}}')).toEqual(['a-1']);
  });
});

describe('dateTimeProblem', () => {
  it.each([
    ['2023-11-07T05:31:56', 'has no time zone; add Z for UTC or an offset such as +02:00 (e.g. "2023-11-07T05:31:56Z")'],
    ['2023-11-07', 'needs a time and a time zone, not only a date (e.g. "2023-11-07T05:31:56Z")'],
    ['2023-02-30T00:00:00Z', 'is not a real date: 2023-02-30 does not exist'],
    ['2023-02-29T00:00:00Z', 'is not a real date: 2023-02-29 does not exist'],
    ['2023-13-01T00:00:00Z', 'is not a real date: 2023-13-01 does not exist'],
    ['2023-11-00', 'is not a real date: 2023-11-00 does not exist'],
    ['2023-11-07T24:00:00Z', 'is not a real time of day: 24:00:00 (hours go up to 23, minutes and seconds up to 59)'],
    ['2023-11-07T05:60Z', 'is not a real time of day: 05:60'],
    ['2023-11-07T05:31:61Z', 'is not a real time of day: 05:31:61'],
    ['2023-11-07 05:31:56Z', 'needs a capital T between the date and the time, not a space: write "2023-11-07T05:31:56Z"'],
    ['2023-11-07t05:31:56z', 'needs a capital T between the date and the time, not "t": write "2023-11-07T05:31:56Z"'],
    ['2023-11-07T05:31:56z', 'needs a capital Z for UTC: write "2023-11-07T05:31:56Z"'],
    ['2023-11-07T05:31Z', 'needs seconds: write "2023-11-07T05:31:00Z"'],
    ['2023-11-07T05:31+02:00', 'needs seconds: write "2023-11-07T05:31:00+02:00"'],
    ['2023-11-07T05:31:56.Z', 'has a decimal point with no digits after it: write "2023-11-07T05:31:56Z"'],
    ['2023-11-07T05:31:56+0200', 'needs its time zone offset written as ±HH:MM (+0200 is not): write "2023-11-07T05:31:56+02:00"'],
    ['2023-11-07T05:31:56-05', 'needs its time zone offset written as ±HH:MM (-05 is not): write "2023-11-07T05:31:56-05:00"'],
    ['2023-11-07T05:31:56+25:00', 'has an impossible time zone offset +25:00'],
    ['2023-11-07T05:31:56+0275', 'has an impossible time zone offset +0275'],
    [' 2023-11-07T05:31:56Z', 'must not have spaces around it: write "2023-11-07T05:31:56Z"'],
    ['yesterday', 'must be an ISO 8601 date-time such as "2023-11-07T05:31:56Z", not "yesterday"'],
    ['11/07/2023', 'not "11/07/2023"'],
    ['', 'must be an ISO 8601 date-time such as "2023-11-07T05:31:56Z", not ""'],
    ['1699335116', 'not "1699335116"'],
  ])('%j %s', (value, message) => {
    expect(dateTimeProblem(value)).toContain(message);
  });

  it('is what the file reports for a bad date, after the path', () => {
    const problem = only('{"data_truncated_at": "2023-11-07T05:31:56"}');
    expect(problem.message).toBe(`data_truncated_at ${dateTimeProblem('2023-11-07T05:31:56')}`);
    expect(problem.path).toBe('data_truncated_at');
  });

  it('every fix it proposes is itself accepted', () => {
    const values = [
      '2023-11-07 05:31:56Z',
      '2023-11-07t05:31:56z',
      '2023-11-07T05:31:56z',
      '2023-11-07T05:31Z',
      '2023-11-07T05:31-0530',
      '2023-11-07T05:31:56.Z',
      '2023-11-07T05:31:56+0200',
      '2023-11-07T05:31:56.25-05',
      ' 2023-11-07T05:31:56Z ',
      '2024-02-29 12:00+01',
    ];
    for (const value of values) {
      expect(desiredStateSchema.safeParse({ data_truncated_at: value }).success, `${value} should be refused`).toBe(false);
      const fix = /write "([^"]+)"/.exec(dateTimeProblem(value))?.[1];
      expect(fix, `a fix for ${value}`).toBeDefined();
      expect(desiredStateSchema.safeParse({ data_truncated_at: fix }).success, `${fix}, proposed for ${value}`).toBe(true);
    }
  });
});
