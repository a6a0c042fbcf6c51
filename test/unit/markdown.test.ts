import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MENTION, MENTION_ASCII, UNSAFE, UNSAFE_ASCII, code, escapeMarkup, escapeText, fenced, inert } from '../../src/markdown.js';

const zwj = '\u200D';
const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

describe('text that starts a line (a paragraph, a quoted note) never becomes block structure', () => {
  it('a heading: a run of # before a space or the end has its first # as an entity', () => {
    expect(escapeText('# Drop all accounts')).toBe('&#35; Drop all accounts');
    expect(escapeText('### x')).toBe('&#35;## x');
    expect(escapeText('#')).toBe('&#35;');
  });

  it('a list item, a rule or a setext underline: a leading run of - or = before a space or the end', () => {
    expect(escapeText('- item')).toBe('&#45; item');
    expect(escapeText('---')).toBe('&#45;--');
    expect(escapeText('===')).toBe('&#61;==');
  });

  it('an ordered list item: a number with . or ) before a space or the end', () => {
    expect(escapeText('1. step')).toBe('&#49;. step');
    expect(escapeText('10) step')).toBe('&#49;0) step');
    expect(escapeText('2.')).toBe('&#50;.');
  });

  it('indented code: a leading space is an entity', () => {
    expect(escapeMarkup('    code')).toBe('&#32;   code');
  });

  it('leaves the same characters readable where they build nothing', () => {
    for (const text of ['-5 degrees', '1.5 liters', '1.2.3', '=x', '--x', '#x', 'a - b # c 1. d']) expect(escapeMarkup(text)).toBe(text);
    expect(escapeMarkup('#1 x')).toBe('#1 x');
  });
});

describe('line breaks', () => {
  it('every kind of line break folds to one space, so the text stays on its line', () => {
    expect(escapeText('a\rb\u2028c\u2029d\r\ne')).toBe('a b c d e');
  });
});

describe('autolinks', () => {
  it('a URL after a character GitHub starts a link after (_, *, ~, () still gets the joiner before ://', () => {
    expect(escapeText('_https://evil.example')).toBe(`&#95;https${zwj}://evil.example`);
    expect(escapeText('(https://evil.example)')).toBe(`(https${zwj}://evil.example)`);
  });

  it('a URL glued to a digit or a word gets the joiner too: the scheme is read back from "://"', () => {
    expect(inert('1https://evil.example')).toBe(`1https${zwj}://evil.example`);
    expect(inert('xHTTP://evil.example')).toBe(`xHTTP${zwj}://evil.example`);
  });
});

describe('code and fences', () => {
  it('shows a value JSON cannot write (undefined) as undefined', () => {
    expect(code(undefined)).toBe('<code>undefined</code>');
  });

  it('drops every trailing line break of fenced content, not just one', () => {
    expect(fenced('a\n\n\n')).toBe('```\na\n```');
  });
});

describe('text that is all ASCII takes a shorter path to the same result', () => {
  it('the ASCII patterns find exactly what the patterns for any text find, in any ASCII text', () => {
    const mark = (found: string) => `[${found}]`;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ASCII), maxLength: 40 }), (text) => {
        expect(text.replace(UNSAFE_ASCII, mark)).toBe(text.replace(UNSAFE, mark));
        expect(text.replace(MENTION_ASCII, mark)).toBe(text.replace(MENTION, mark));
      }),
      { numRuns: 2_000 },
    );
    // Every ASCII character on its own, and each after @ and #.
    for (const char of ASCII) {
      expect(char.replace(UNSAFE_ASCII, mark)).toBe(char.replace(UNSAFE, mark));
      for (const lead of ['@', '#']) expect(`${lead}${char}`.replace(MENTION_ASCII, mark)).toBe(`${lead}${char}`.replace(MENTION, mark));
    }
  });
});
