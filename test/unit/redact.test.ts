import { describe, expect, it } from 'vitest';
import { SECRET_FIELDS } from '../../src/account-schema.js';
import { Redactor, SECRET_FIELD_NAME } from '../../src/redact.js';

const redactor = () => new Redactor(() => {});

describe('secrets given as inputs', () => {
  it('an input secret is masked with *** wherever it appears', () => {
    const r = redactor();
    r.add('lc-live-key');
    expect(r.scrub('GET failed with lc-live-key in the URL')).toBe('GET failed with *** in the URL');
  });

  it('a blank input registers nothing with the runner', () => {
    const registered: string[] = [];
    const r = new Redactor((secret) => registered.push(secret));
    r.add('   ');
    r.add('');
    expect(registered).toEqual([]);
  });

  it('a 4-character input is masked, and white space around an input is not part of it', () => {
    const r = redactor();
    r.add('  abcd\n');
    expect(r.scrub('key abcd, spaced  abcd ')).toBe('key ***, spaced  *** ');
  });

  it('a secret that contains another is masked whole, whatever order they were added in', () => {
    const r = redactor();
    r.add('token-1');
    r.add('token-1-extended');
    expect(r.scrub('a token-1-extended b')).toBe('a *** b');
    const reversed = redactor();
    reversed.add('token-1-extended');
    reversed.add('token-1');
    expect(reversed.scrub('a token-1-extended b')).toBe('a *** b');
  });
});

describe("values of an answer's secret fields", () => {
  it('a field value that ends or starts with digits is still a secret', () => {
    const r = redactor();
    r.add('hunter2hunter2', 'field');
    r.add('2024abcdefgh', 'field');
    expect(r.scrub('seen: hunter2hunter2 and 2024abcdefgh')).toBe('seen: *** and ***');
  });

  it('a field value that is a number (negative, decimal) is an ordinary value, left alone elsewhere', () => {
    const r = redactor();
    for (const value of ['12345678', '-12345678', '3.14159265', 'undefined']) r.add(value, 'field');
    expect(r.scrub('order 12345678 at -12345678 by 3.14159265, undefined')).toBe('order 12345678 at -12345678 by 3.14159265, undefined');
  });
});

describe("a secret field's value that could be no credential", () => {
  it("a word of the account's vocabulary (a setting, feature, subscription or field name, a state) is masked where it stands, never elsewhere", () => {
    const registered: string[] = [];
    const r = new Redactor((secret) => registered.push(secret));
    const body = '{"errors":[{"key":"data_retention_in_days","message":"too long"}],"keen_read_api_key":"inactive","token":"Features.Firehose"}';
    expect(r.maskSecretFields(body)).toBe('{"errors":[{"key":"***","message":"too long"}],"keen_read_api_key":"***","token":"***"}');
    for (const word of [
      'lead_transactions',
      'product_offering_component',
      'keen_project_id',
      'subscriptions.pro',
      'subscriptions.pro.state',
      'Active',
      'id',
      '$schema',
    ])
      r.add(word, 'field');
    expect(registered).toEqual([]);
    expect(r.scrub('data_retention_in_days inactive features.firehose lead_transactions')).toBe(
      'data_retention_in_days inactive features.firehose lead_transactions',
    );
  });

  it('a value already masked is no credential: an answer quoting a known secret (now "***") in a secret field registers nothing', () => {
    const registered: string[] = [];
    const r = new Redactor((secret) => registered.push(secret));
    r.add('acct-secret-api-key-7f3c9a', 'field');
    registered.length = 0;
    expect(r.maskSecretFields('{"account":{"api_key":"acct-secret-api-key-7f3c9a"}}')).toBe('{"account":{"api_key":"***"}}');
    expect(registered).toEqual([]);
  });

  it('an ordinary value (a date-time) is not registered either', () => {
    const registered: string[] = [];
    const r = new Redactor((secret) => registered.push(secret));
    r.add('2023-11-07T05:31:56Z', 'field');
    expect(registered).toEqual([]);
  });

  it('a date alone, a date-time without a zone, or one at an offset (+hh:mm, -hhmm, +hh), is an ordinary value too', () => {
    const registered: string[] = [];
    const r = new Redactor((secret) => registered.push(secret));
    for (const value of ['2023-11-07', '2023-11-07T05:31:56', '2023-11-07T05:31:56+05:30', '2023-11-07 05:31:56.123-0800', '2023-11-07T05:31:56+01']) {
      r.add(value, 'field');
    }
    expect(registered).toEqual([]);
  });

  it('a date-time with something else where its offset belongs could be a credential', () => {
    const registered: string[] = [];
    const r = new Redactor((secret) => registered.push(secret));
    r.add('2023-11-07T05:31:56x05:30', 'field');
    expect(registered).toContain('2023-11-07T05:31:56x05:30');
  });

  it("the account's real keys, long random strings, are still registered and masked everywhere", () => {
    const registered: string[] = [];
    const r = new Redactor((secret) => registered.push(secret));
    r.add('acct-secret-api-key-7f3c9a', 'field');
    r.add('keen-read-secret-4b1d', 'field');
    expect(registered).toEqual(expect.arrayContaining(['acct-secret-api-key-7f3c9a', 'keen-read-secret-4b1d']));
    expect(r.scrub('acct-secret-api-key-7f3c9a keen-read-secret-4b1d')).toBe('*** ***');
  });

  it('an input is a secret by definition, even when it reads like a word of the account', () => {
    const r = redactor();
    r.add('firehose');
    expect(r.scrub('features.firehose')).toBe('features.***');
  });
});

describe('scrubbing a report', () => {
  it('keeps values that are not plain objects (numbers, dates, class instances) as they are', () => {
    const r = redactor();
    r.add('secret-1234');
    const when = new Date('2024-01-01T00:00:00Z');
    const error = new Error('secret-1234');
    const scrubbed = r.scrubDeep({ n: 5, when, error, list: ['secret-1234'] });
    expect(scrubbed.n).toBe(5);
    expect(scrubbed.when).toBe(when);
    expect(scrubbed.error).toBe(error);
    expect(scrubbed.list).toEqual(['***']);
    expect(r.scrubDeep(7)).toBe(7);
    expect(r.scrubDeep(undefined)).toBeUndefined();
    expect(r.scrubDeep({ missing: undefined, none: null })).toEqual({ missing: undefined, none: null });
  });
});

describe('masking the credential fields of an answer', () => {
  it('keeps the JSON shape: arrays stay arrays, numbers and ordinary fields stay as they are', () => {
    const r = redactor();
    const masked = r.maskSecretFields('[{"name":"Acme","count":3,"flag":true,"api_key":"k-1234567890"},null]');
    expect(JSON.parse(masked)).toEqual([{ name: 'Acme', count: 3, flag: true, api_key: '***' }, null]);
  });

  it('a numeric secret field is masked in place; an object or a list under a secret-sounding name is masked leaf by leaf, its shape kept', () => {
    const r = redactor();
    const masked = r.maskSecretFields(
      '{"pin_token":98765432,"credentials":{"user":"ops","value":"pa55word-x","ok":true},"api_keys":["k-1234567890",null],"note":"ops"}',
    );
    expect(JSON.parse(masked)).toEqual({ pin_token: '***', credentials: { user: '***', value: '***', ok: true }, api_keys: ['***', null], note: 'ops' });
    expect(r.scrub('again pa55word-x and k-1234567890')).toBe('again *** and ***');
  });

  it('an ordinary value in a secret field is masked there but not registered, so it survives elsewhere', () => {
    const r = redactor();
    expect(r.maskSecretFields('{"token":"12345678","message":"order 12345678 failed"}')).toBe('{"token":"***","message":"order 12345678 failed"}');
  });

  it('a field named like a credential in any case (Password, API_KEY) is masked, and its value registered', () => {
    const r = redactor();
    expect(r.maskSecretFields('{"Password":"hunter2hunter2","API_KEY":"k-1234567890","Name":"Acme"}')).toBe('{"Password":"***","API_KEY":"***","Name":"Acme"}');
    expect(r.scrub('again hunter2hunter2 and k-1234567890')).toBe('again *** and ***');
    expect(SECRET_FIELD_NAME.test('Client-Secret')).toBe(true);
  });

  it('JSON nested deeper than any answer is read as text: its key=value credentials masked, its layout kept', () => {
    const r = redactor();
    const deep = `${'['.repeat(100)}{"api_key": "k-1234567890", "note": "kept"}${']'.repeat(100)}`;
    expect(r.maskSecretFields(deep)).toBe(`${'['.repeat(100)}{"api_key": ***, "note": "kept"}${']'.repeat(100)}`);
    const deeper = `${'['.repeat(200_000)}"token=abc"${']'.repeat(200_000)}`;
    expect(r.maskSecretFields(deeper)).toBe(`${'['.repeat(200_000)}"token=***${']'.repeat(200_000)}`);
  });

  it('a key=value credential inside a string of the JSON (an error message) is masked', () => {
    const r = redactor();
    const masked = r.maskSecretFields('{"error":"rejected: api_key=zz-9f8e7d6c","details":["password: hunter22!"],"text":"token=abc"}');
    expect(JSON.parse(masked)).toEqual({ error: 'rejected: api_key=***', details: ['password: ***'], text: 'token=***' });
  });
});

describe('credentials written as key=value in text that is not JSON', () => {
  const mask = (text: string) => redactor().maskSecretFields(text);

  it('the value after a quoted key in a cut-off JSON body', () => {
    expect(mask('{"api_key": "k-1234567890", "client_secret": "cs-abcdef", "token_v2": "t-1"')).toBe('{"api_key": ***, "client_secret": ***, "token_v2": ***');
  });

  it('a key with more after the credential word, and spaces around the =', () => {
    expect(mask('session_token_v2=abc123 password = hunter22')).toBe('session_token_v2=*** password = ***');
  });

  it('a quoted value is masked whole, spaces and escaped quotes included', () => {
    expect(mask('password: "two words \\" here" next')).toBe('password: *** next');
    expect(mask("password='two words' next")).toBe('password=*** next');
  });

  it('after Authorization: the scheme is kept and the credential after it is masked', () => {
    expect(mask('Authorization: Bearer eyJhbGciOi.payload.sig')).toBe('Authorization: Bearer ***');
    expect(mask('authorization=Basic QVBJOmtleQ==; next')).toBe('authorization=Basic ***; next');
  });

  it('ends an unquoted value at a separator', () => {
    expect(mask('token=abc&user=ops, key=x; secret=y}')).toBe('token=***&user=ops, key=***; secret=***}');
  });
});

describe('credentials in the text formats a server sends', () => {
  it("the one secret-field-name rule covers the account's own credential fields", () => {
    for (const field of SECRET_FIELDS) expect(SECRET_FIELD_NAME.test(field), field).toBe(true);
  });

  const mask = (text: string) => redactor().maskSecretFields(text);

  it('key => value and key := value', () => {
    expect(mask('api_key => "abcdefghijkl" rest')).toBe('api_key => *** rest');
    expect(mask("{:api_key=>'abcdefghijkl', :name=>'x'}")).toBe("{:api_key=>***, :name=>'x'}");
    expect(mask('token := abcdefghijkl;')).toBe('token := ***;');
  });

  it('the text of an XML or HTML element named like a credential', () => {
    expect(mask('<error><api_key>abcdefghijkl</api_key><msg>bad</msg></error>')).toBe('<error><api_key>***</api_key><msg>bad</msg></error>');
    expect(mask('<Password type="string">abc def</Password>')).toBe('<Password type="string">***</Password>');
  });

  it('an input secret made only of digits, in a JSON number too long to parse exactly, is masked before the number is read', () => {
    const r = redactor();
    r.add('98765432101234567');
    const masked = r.maskSecretFields('{"message":"rejected","id":98765432101234567}');
    for (let i = 0; i + 8 <= 17; i++) expect(masked).not.toContain('98765432101234567'.slice(i, i + 8));
  });
});

describe('known secrets before key=value pairs', () => {
  it('a secret followed by ": " is masked itself, and the words after it are kept', () => {
    const r = redactor();
    r.add('lc-test-api-key-5a7e21c04d');
    expect(r.maskSecretFields('{"message":"Account lc-test-api-key-5a7e21c04d: data_retention_in_days must be at most 365"}')).toBe(
      '{"message":"Account ***: data_retention_in_days must be at most 365"}',
    );
    expect(r.maskSecretFields('Account lc-test-api-key-5a7e21c04d: data_retention_in_days is wrong')).toBe('Account ***: data_retention_in_days is wrong');
  });

  it("a credential field's value quoted in an earlier string of the answer is masked whole", () => {
    const r = redactor();
    expect(r.maskSecretFields('{"message":"rejected token=zz,9f8e7d6c-long","api_key":"zz,9f8e7d6c-long"}')).toBe(
      '{"message":"rejected token=***","api_key":"***"}',
    );
  });
});

describe('overlapping secrets', () => {
  it('two secrets that overlap leave no piece of either, whatever their lengths', () => {
    const r = redactor();
    r.add('abc-1234');
    r.add('1234-wxyz-long');
    expect(r.scrub('x abc-1234-wxyz-long y')).toBe('x *** y');
  });

  it('a secret repeated so that its occurrences overlap is masked whole', () => {
    const r = redactor();
    r.add('aaaa');
    expect(r.scrub('-aaaaaa-')).toBe('-***-');
  });

  it('adjacent secrets are masked each, text between and around kept', () => {
    const r = redactor();
    r.add('first-secret');
    r.add('second-secret');
    expect(r.scrub('a first-secretsecond-secret b first-secret c')).toBe('a ****** b *** c');
  });

  it('text without a secret is the same string', () => {
    const r = redactor();
    r.add('first-secret');
    const text = 'nothing to hide here';
    expect(r.scrub(text)).toBe(text);
  });
});
