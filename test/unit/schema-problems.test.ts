/**
 * Unit tests of src/schema-problems.ts beyond test/desired-state.test.ts: the wording of each kind
 * of wrong value, the did-you-mean at its edges (a key as far as a guess may be, a tie, a one-letter
 * key), date-times at the limits of the clock, and the issues zod can raise that the account schema
 * does not today (they still name the key and say what is wrong).
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { FEATURE_NAMES, SUBSCRIPTION_FIELDS } from '../../src/account-schema.js';
import { parseDesiredState, type Problem } from '../../src/desired-state.js';
import { JsonSource } from '../../src/json-source.js';
import { dateTimeProblem, describeIssue, describeValue } from '../../src/schema-problems.js';

function only(text: string): Problem {
  const result = parseDesiredState(Buffer.from(text), 'leadconduit-account.json');
  if (result.ok) throw new Error(`expected a problem, the file was accepted: ${text}`);
  expect(result.problems, JSON.stringify(result.problems)).toHaveLength(1);
  return result.problems[0]!;
}

const message = (text: string) => only(text).message;

describe('a value of the wrong kind', () => {
  it.each([
    ['" 365 "', 'data_retention_in_days must be a number, not the string " 365 "; remove the quotes'],
    ['"-30"', 'data_retention_in_days must be a number, not the string "-30"; remove the quotes'],
    ['"about 365"', 'data_retention_in_days must be a whole number of days without quotes or units (e.g. 365), not the string "about 365"'],
    ['"365 days"', 'data_retention_in_days must be a whole number of days without quotes or units (e.g. 365), not the string "365 days"'],
    ['true', 'data_retention_in_days must be a whole number of days without quotes or units (e.g. 365), not true'],
    ['[365]', 'data_retention_in_days must be a whole number of days without quotes or units (e.g. 365), not an array'],
    ['{"days": 365}', 'data_retention_in_days must be a whole number of days without quotes or units (e.g. 365), not an object'],
  ])('a retention of %s: remove the quotes only where the string is a whole number', (value, expected) => {
    expect(message(`{"data_retention_in_days": ${value}}`)).toBe(expected);
  });

  it.each([
    ['"false"', 'features.firehose must be true or false, not the string "false"; remove the quotes'],
    ['"true"', 'features.firehose must be true or false, not the string "true"; remove the quotes'],
    ['"yes"', 'features.firehose must be true or false, not the string "yes"'],
    ['{"on": true}', 'features.firehose must be true or false, not an object'],
  ])('a feature of %s', (value, expected) => {
    expect(message(`{"features": {"firehose": ${value}}}`)).toBe(expected);
  });

  it('a string setting given another kind of value asks for a string in double quotes, not a date-time or an id', () => {
    expect(message('{"$schema": 5}')).toBe('$schema must be a string in double quotes, not 5');
    expect(message('{"subscriptions": {"pro": {"state": true}}}')).toBe('subscriptions.pro.state must be a string in double quotes, not true');
    expect(message('{"subscriptions": {"pro": {"product_offering_component": ["pro"]}}}')).toBe(
      'subscriptions.pro.product_offering_component must be a string in double quotes, not an array',
    );
  });

  it('a date-time given another kind of value asks for a date-time in double quotes', () => {
    expect(message('{"subscriptions": {"base": {"inactive_at": 1699335116}}}')).toBe(
      'subscriptions.base.inactive_at must be a date-time in double quotes, such as "2023-11-07T05:31:56Z", not 1699335116',
    );
  });

  it('a long string is quoted only by its first 40 characters; one of 40 is quoted whole', () => {
    const forty = 'x'.repeat(40);
    expect(message(`{"data_retention_in_days": "${forty}"}`)).toContain(`not the string "${forty}"`);
    expect(message(`{"data_retention_in_days": "${forty}y"}`)).toContain(`not the string "${forty}…"`);
  });
});

describe('a string of the wrong length', () => {
  it('an empty state suggests "active", an empty product offering component "pro"', () => {
    expect(message('{"subscriptions": {"pro": {"state": ""}}}')).toBe(
      'subscriptions.pro.state must not be empty: write a value such as "active", or remove the key to leave it unmanaged',
    );
    expect(message('{"subscriptions": {"pro": {"product_offering_component": ""}}}')).toBe(
      'subscriptions.pro.product_offering_component must not be empty: write a value such as "pro", or remove the key to leave it unmanaged',
    );
  });

  it('a state longer than 64 characters is too long; one of 64 is not', () => {
    expect(message(`{"subscriptions": {"partner": {"state": "${'a'.repeat(65)}"}}}`)).toBe('subscriptions.partner.state is too long (at most 64 characters)');
    expect(parseDesiredState(Buffer.from(`{"subscriptions": {"partner": {"state": "${'a'.repeat(64)}"}}}`), 'f.json').ok).toBe(true);
  });
});

describe('a key that does not belong', () => {
  it('a read-only field that is not a secret is only asked to be removed, with no word of rotating it', () => {
    expect(message('{"time_zone": "America/Denver"}')).toBe(
      '"time_zone" is a read-only account field: it cannot be managed through the API. Remove it from the file.',
    );
  });

  it('a key as far from a name as a guess may go still gets the guess (retention-in-days: five edits)', () => {
    expect(message('{"retention-in-days": 365}')).toBe('unknown setting "retention-in-days"; did you mean "data_retention_in_days"?');
  });

  it('hyphens and spaces stand for underscores before names are compared (3rd party add on services)', () => {
    expect(message('{"features": {"3rd-party-add-on-services": true}}')).toBe(
      'unknown feature "3rd-party-add-on-services" in features; did you mean "third_party_add_on_services"?',
    );
    expect(message('{"subscriptions": {"pro": {"product offering comp": "pro"}}}')).toContain('did you mean "product_offering_component"?');
  });

  it('a short name is guessed within two edits, not three', () => {
    expect(message('{"features": {"fire_hos": true}}')).toContain('did you mean "firehose"?');
    expect(message('{"subscriptions": {"bsae": {}}}')).toContain('did you mean "base"?');
    expect(message('{"subscriptions": {"gld": {}}}')).toBe('unknown subscription "gld" in subscriptions; known subscriptions: base, pro, partner');
  });

  it('a one-letter key is guessed only where it is one letter from a name', () => {
    expect(message('{"i": "5fd4371e940df5a34a3888b2"}')).toBe('unknown setting "i"; did you mean "id"?');
    expect(message('{"features": {"x": true}}')).toBe(`unknown feature "x" in features; known features: ${FEATURE_NAMES.join(', ')}`);
    expect(message('{"subscriptions": {"b": {}}}')).toBe('unknown subscription "b" in subscriptions; known subscriptions: base, pro, partner');
  });

  it('a key as close to two names gets the one listed first, the same on every run', () => {
    // "nactive_at" is one letter from both active_at and inactive_at.
    expect(SUBSCRIPTION_FIELDS.indexOf('active_at')).toBeLessThan(SUBSCRIPTION_FIELDS.indexOf('inactive_at'));
    expect(message('{"subscriptions": {"pro": {"nactive_at": "2023-11-07T05:31:56Z"}}}')).toBe(
      'unknown subscription field "nactive_at" in subscriptions.pro; did you mean "active_at"?',
    );
  });
});

describe('issues the account schema does not raise today', () => {
  /** The issues zod raises for a value of the file against some other schema, described as the file's problems. */
  function problemsFor(schema: z.ZodMiniType, text: string): Problem[] {
    const source = new JsonSource(text);
    const parsed = schema.safeParse(source.value(), { reportInput: true });
    if (parsed.success) throw new Error('expected issues');
    return parsed.error.issues.flatMap((issue) => describeIssue(issue, source));
  }

  it('a value of a kind the messages have no words for names the kind expected', () => {
    expect(problemsFor(z.object({ tags: z.array(z.string()) }), '{\n  "tags": "pro"\n}')).toEqual([
      { path: 'tags', message: 'tags must be array, not the string "pro"', line: 2, column: 3 },
    ]);
  });

  it("another format than a date-time or the id says the format is invalid, in zod's words", () => {
    const [problem] = problemsFor(z.object({ contact: z.email() }), '{"contact": "ops at acme"}');
    expect(problem?.path).toBe('contact');
    expect(problem?.message).toMatch(/^contact has an invalid format: \S/);
    expect(problem?.message).not.toContain('24-character');
  });

  it('any other issue says zod\'s message after the path, or after "the file" for the whole of it', () => {
    const [inside] = problemsFor(z.object({ state: z.literal('active') }), '{"state": "on"}');
    expect(inside?.message).toMatch(/^state: \S/);
    const [whole] = problemsFor(z.literal(1), '{}');
    expect(whole).toMatchObject({ path: '', line: 1, column: 1 });
    expect(whole?.message).toMatch(/^the file: \S/);
  });

  it('nothing where a value is required is called nothing', () => {
    expect(describeValue(undefined)).toBe('nothing');
  });

  it('a string is quoted as it is when no scrub is given', () => {
    expect(describeValue('on')).toBe('the string "on"');
    expect(problemsFor(z.object({ state: z.string() }), '{}')[0]?.message).toBe('state must be a string in double quotes, not nothing');
  });
});

describe('dateTimeProblem at the limits', () => {
  it('23:59:59 is a real time of day: the problem is the missing time zone', () => {
    expect(dateTimeProblem('2023-11-07T23:59:59')).toBe('has no time zone; add Z for UTC or an offset such as +02:00 (e.g. "2023-11-07T05:31:56Z")');
  });

  it('an impossible time is quoted as written, with or without seconds', () => {
    expect(dateTimeProblem('2023-11-07T05:60Z')).toBe('is not a real time of day: 05:60 (hours go up to 23, minutes and seconds up to 59)');
    expect(dateTimeProblem('2023-11-07T05:31:60Z')).toBe('is not a real time of day: 05:31:60 (hours go up to 23, minutes and seconds up to 59)');
  });

  it('an offset of +23:59 is possible: only its spelling is fixed', () => {
    expect(dateTimeProblem('2023-11-07T05:31:56+2359')).toBe('needs its time zone offset written as ±HH:MM (+2359 is not): write "2023-11-07T05:31:56+23:59"');
    expect(dateTimeProblem('2023-11-07T05:31:56+2360')).toBe('has an impossible time zone offset +2360');
  });

  it.each(['2023-04-31', '2023-12-32', '2023-00-10', '2023-13-01', '2024-02-30', '2023-01-00'])('%s does not exist', (date) => {
    expect(dateTimeProblem(`${date}T00:00:00Z`)).toBe(`is not a real date: ${date} does not exist`);
  });

  it.each(['2024-02-29', '2023-12-31', '2023-01-01', '2000-02-29'])('%s exists: its problem is elsewhere', (date) => {
    expect(dateTimeProblem(`${date} 00:00:00Z`)).toBe(`needs a capital T between the date and the time, not a space: write "${date}T00:00:00Z"`);
  });

  it('the fix keeps the fraction of a second', () => {
    expect(dateTimeProblem('2023-11-07 05:31:56.250Z')).toBe('needs a capital T between the date and the time, not a space: write "2023-11-07T05:31:56.250Z"');
  });

  it('text before or after a date-time is not read as one', () => {
    const generic = (value: string) => `must be an ISO 8601 date-time such as "2023-11-07T05:31:56Z", not ${JSON.stringify(value)}`;
    for (const value of ['on 2023-11-07T05:31:56Z', '2023-11-07T05:31:56Z (UTC)', '2023-11-07T05:31:56+02:00:00']) {
      expect(dateTimeProblem(value)).toBe(generic(value));
    }
  });

  it('white space alone is not a date-time with spaces around it', () => {
    expect(dateTimeProblem('   ')).toBe('must be an ISO 8601 date-time such as "2023-11-07T05:31:56Z", not "   "');
  });

  it('a date-time it cannot fault gets the general message, not a "fix" that is the same text', () => {
    expect(dateTimeProblem('2023-11-07T05:31:56Z')).toBe('must be an ISO 8601 date-time such as "2023-11-07T05:31:56Z", not "2023-11-07T05:31:56Z"');
  });
});
