/**
 * Reading a JSON text as characters and tokens, before (or instead of) parsing it: how deep it
 * nests, which bracket is left open, where the values of secret keys stand. The first two use the
 * one bracket scanner (json-depth.ts), which answers use too; the secret spans are read with
 * jsonc-parser's own scanner.
 */
import { createScanner } from 'jsonc-parser';
import { firstTooDeep, scanBrackets } from './json-depth.js';

/** Deeper than any desired-state file needs; refusing early keeps the parser's recursion safe. */
export const MAX_DEPTH = 32;

/** Where the text first nests deeper than MAX_DEPTH, if it does. */
export function findTooDeep(text: string): number | undefined {
  return firstTooDeep(text, MAX_DEPTH);
}

/** The innermost bracket still open at the end of the text. */
export function unclosedOpener(text: string): { char: '{' | '['; offset: number } | undefined {
  const open: number[] = [];
  scanBrackets(text, (opens, offset) => {
    if (opens) open.push(offset);
    else open.pop();
    return false;
  });
  const offset = open.at(-1);
  return offset === undefined ? undefined : { char: text[offset] === '{' ? '{' : '[', offset };
}

/** jsonc-parser's SyntaxKind values: a const enum, which its typings do not let this module import. */
const TOKEN = { openBrace: 1, closeBrace: 2, openBracket: 3, closeBracket: 4, comma: 5, colon: 6, string: 10, eof: 17 } as const;

/**
 * Where the values of secret keys stand in a JSON text, however it is written: from the end of a
 * secret-named key (its colon, comments and white space of any length included) to the comma or
 * brace that ends its value, objects and lists in it included; a key without its colon counts.
 * Read token by token with jsonc-parser's scanner, which steps over comments. [start, end) pairs,
 * in order.
 */
export function secretValueSpans(text: string, isSecretKey: (key: string) => boolean): Array<[number, number]> {
  interface Frame {
    object: boolean;
    /** The whole object or list is inside a secret's value. */
    secret: boolean;
    expectKey: boolean;
    /** The value of the object's current key is a secret. */
    valueSecret: boolean;
  }
  const root: Frame = { object: false, secret: false, expectKey: false, valueSecret: false };
  const frames: Frame[] = [root];
  const inSecret = (top: Frame) => (top.object && !top.expectKey ? top.valueSecret : top.secret);
  const spans: Array<[number, number]> = [];
  let start: number | undefined;
  const scanner = createScanner(text, true);
  for (let token: number = scanner.scan(); token !== TOKEN.eof; token = scanner.scan()) {
    const top = frames.at(-1) ?? root;
    const offset = scanner.getTokenOffset();
    if (token === TOKEN.openBrace || token === TOKEN.openBracket) {
      const secret = inSecret(top);
      frames.push({ object: token === TOKEN.openBrace, secret, expectKey: token === TOKEN.openBrace, valueSecret: secret });
    } else if (token === TOKEN.closeBrace || token === TOKEN.closeBracket) {
      if (frames.length > 1) frames.pop();
    } else if (token === TOKEN.comma) {
      if (top.object) Object.assign(top, { expectKey: true, valueSecret: top.secret });
    } else if (token !== TOKEN.colon && top.object && top.expectKey) {
      // A key: a string, or a word or 'quoted' text where a key was meant.
      const key = token === TOKEN.string ? scanner.getTokenValue() : text.slice(offset, offset + scanner.getTokenLength());
      Object.assign(top, { expectKey: false, valueSecret: top.secret || isSecretKey(key) });
    }
    const secret = inSecret(frames.at(-1) ?? root);
    if (secret && start === undefined) start = offset + scanner.getTokenLength();
    else if (!secret && start !== undefined) {
      spans.push([start, offset]);
      start = undefined;
    }
  }
  if (start !== undefined) spans.push([start, text.length]);
  return spans;
}
