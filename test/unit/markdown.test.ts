import { describe, expect, it } from 'vitest';
import { code, escapeMarkup, escapeText, fenced, inert } from '../../src/markdown.js';
import { HIDDEN_CHARACTERS } from '../../src/printable.js';

const zwj = '\u200D';

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

describe('letters and digits of any script stay readable, decided mostly without \\p{L}', () => {
  /** What escapeMarkup kept and encoded before it avoided \p{L}/\p{N} for symbols: the reference. */
  const reference = (char: string) => (/^[\p{L}\p{N} ,.:;'=?%$()#!\-@/…\u200D]$/u.test(char) ? char : `&#${char.codePointAt(0)};`);
  const symbolBlock = (code: number) => (code >= 0x2190 && code <= 0x2bff) || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0x1f000 && code <= 0x1faff);

  it('every code point of the first two planes is kept or encoded as the reference does, except letter-like symbols, which are encoded', () => {
    // Controls and hidden characters are shown escaped first (printable.ts); skip them here.
    const shownEscaped = new RegExp(`[\\u0000-\\u001f${HIDDEN_CHARACTERS}]`);
    const differ: string[] = [];
    for (let code = 0; code < 0x20000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      if (shownEscaped.test(char)) continue;
      const shown = escapeMarkup(`a${char}`).slice(1);
      if (shown === reference(char)) continue;
      // The only difference allowed: a letter or digit inside a symbol block becomes an entity (it shows the same).
      if (symbolBlock(code) && shown === `&#${code};`) continue;
      differ.push(code.toString(16));
    }
    expect(differ).toEqual([]);
  });

  it('a letter-like symbol in the arrows-to-symbols or the pictograph block is encoded, though \\p{N} counts it a digit', () => {
    expect(escapeMarkup('① ⑳ 🄀 🄌')).toBe('&#9312; &#9331; &#127232; &#127244;');
    expect(escapeMarkup('Ⅻ ² ٣ 𝟘')).toBe('Ⅻ ² ٣ 𝟘');
  });

  it('the joiner goes after @ and # wherever a letter or digit of any script follows (and after any other character outside ASCII)', () => {
    for (let code = 0x20; code < 0x20000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      if (/^[\p{L}\p{N}_-]$/u.test(char)) for (const lead of ['@', '#']) expect(inert(`${lead}${char}`)).toBe(`${lead}${zwj}${char}`);
    }
  });
});
