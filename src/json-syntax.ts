import { printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { secretValueSpans, unclosedOpener } from './json-scan.js';
import type { Position, SyntaxProblem } from './json-source.js';

/**
 * How a syntax error relates to the ones after it. A `clean` error (a comment, a trailing or
 * missing comma, a bad character inside a string) is stepped over and the parser carries on.
 * A bad `token` (NaN, 'single quotes', an unclosed string) is real too, but the parser stumbles
 * after it; so it does after a `structural` error, and skips ahead. The structural errors
 * reported after either (a "value expected" at the next brace...) only echo it, and are dropped.
 */
type ErrorKind = 'clean' | 'token' | 'structural';

/**
 * jsonc-parser's error codes in words a person can act on: what is wrong, where, and the fix.
 * A secret's value (after "api_key":, or any key SECRET_FIELD_NAME names) is never quoted.
 */
export class SyntaxMessages {
  readonly text: string;
  readonly #root: Node | undefined;
  readonly #position: (offset: number) => Position;
  readonly #isSecretKey: (key: string) => boolean;
  readonly #scrub: (text: string) => string;
  /** secretValueSpans, found on the first question (only a file with syntax errors asks). */
  #secretSpans: Array<[number, number]> | undefined;

  constructor(
    text: string,
    root: Node | undefined,
    position: (offset: number) => Position,
    isSecretKey: (key: string) => boolean,
    scrub: (text: string) => string = (quoted) => quoted,
  ) {
    this.text = text;
    this.#root = root;
    this.#position = position;
    this.#isSecretKey = isSecretKey;
    this.#scrub = scrub;
  }

  position(offset: number): Position {
    return this.#position(offset);
  }

  describe(errors: ParseError[]): SyntaxProblem[] {
    const problems: SyntaxProblem[] = [];
    // Seen spots and messages per line, so a file of tens of thousands of errors stays linear.
    const seen = new Set<string>();
    let skipping = false;
    for (const error of errors) {
      const message = this.#message(error);
      if (message.kind === 'structural' && skipping) continue;
      if (message.kind !== 'clean') skipping = true;
      const position = this.position(message.offset ?? error.offset);
      // The parser may report one spot twice, or one mistake repeated along a line: once is enough.
      const spot = `${position.line}:${position.column}`;
      const said = `${position.line}:${message.text}`;
      if (seen.has(spot) || seen.has(said)) continue;
      seen.add(spot).add(said);
      problems.push({ ...position, message: message.text });
    }
    return problems;
  }

  #message(error: ParseError): { text: string; kind: ErrorKind; offset?: number } {
    const code = printParseErrorCode(error.error);
    const found = this.text.slice(error.offset, error.offset + Math.max(error.length, 1));
    const secret = this.#isSecretValue(error.offset);
    // What the message quotes is scrubbed before it is cut: a secret cut short no longer matches.
    const quoted = this.#scrub(found);
    const shown =
      found.length === 0
        ? 'the end of the file'
        : secret
          ? 'a secret value (not shown)'
          : // eslint-disable-next-line no-control-regex -- a raw control character makes the string unprintable
            quoted.startsWith('"') && !/[\u0000-\u001f]/.test(quoted)
            ? quoted.length > 40
              ? `${quoted.slice(0, 39)}…"`
              : quoted
            : JSON.stringify(quoted.slice(0, 20));
    const clean = (text: string, offset?: number) => ({ text, kind: 'clean' as const, ...(offset === undefined ? {} : { offset }) });
    const structural = (text: string) => ({ text, kind: 'structural' as const });
    const token = (text: string) => ({ text, kind: 'token' as const });
    const before = this.#previousSignificant(error.offset);
    if ((found.startsWith('}') || found.startsWith(']')) && before !== undefined && this.text[before] === ',') {
      return clean('trailing comma: JSON allows no comma after the last item; remove it', before);
    }
    if (found.startsWith(',') && before !== undefined && this.text[before] === ',' && (code === 'PropertyNameExpected' || code === 'ValueExpected')) {
      return clean('two commas in a row; remove one');
    }
    switch (code) {
      case 'InvalidCommentToken':
      case 'UnexpectedEndOfComment':
        return clean('comments are not allowed in JSON; remove the comment');
      case 'InvalidSymbol':
        return token(this.#invalidSymbol(error.offset, found, shown, secret));
      case 'InvalidNumberFormat':
        return structural(`invalid number ${shown}`);
      case 'PropertyNameExpected':
        return structural(`expected a key in double quotes, found ${shown}`);
      case 'ValueExpected':
        return structural(`expected a value, found ${shown}`);
      case 'ColonExpected':
        return structural(`expected ":" after the key, found ${shown}; put a ":" between a key and its value`);
      case 'CommaExpected':
        // 0365: the scanner reads 0, then 365 as a second value.
        if (/^\d/.test(found) && this.text[error.offset - 1] === '0' && !/[\d.eE+-]/.test(this.text[error.offset - 2] ?? '')) {
          return { ...structural(`a number must not start with 0: write ${secret ? 'it' : found} without the leading zero`), offset: error.offset - 1 };
        }
        if (before !== undefined && this.position(before).line < this.position(error.offset).line) {
          return clean(`missing comma at the end of this line (before ${shown} on line ${this.position(error.offset).line}); add ","`, before + 1);
        }
        return clean(`missing comma before ${shown}; add ","`);
      case 'CloseBraceExpected':
      case 'CloseBracketExpected': {
        const closer = code === 'CloseBraceExpected' ? '}' : ']';
        if (found.length > 0) return structural(`expected "${closer}" to close the ${closer === '}' ? 'object' : 'array'}, found ${shown}`);
        const opener = unclosedOpener(this.text);
        if (opener === undefined) return structural(`the file ends too early: a closing "${closer}" is missing`);
        const at = this.position(opener.offset);
        const close = opener.char === '{' ? '}' : ']';
        const message = structural(`the file ends before the "${opener.char}" at line ${at.line}, column ${at.column} is closed; add the missing "${close}"`);
        // Point at the end of the last line with text, where the brace goes (an annotation on the empty line after it may not show).
        return before === undefined ? message : { ...message, offset: before + 1 };
      }
      case 'EndOfFileExpected': {
        if (this.#root?.type !== 'object') {
          return structural(`unexpected ${shown}: the file must hold one JSON object; wrap the settings in { and }`);
        }
        const end = this.position(this.#root.offset + this.#root.length - 1);
        if (found.startsWith('{')) {
          return structural(
            `a second object starts here, after the first one ended at line ${end.line}; the file must hold exactly one object, so merge the two into one`,
          );
        }
        if (found.startsWith('}') || found.startsWith(']')) {
          return structural(
            `one "${found[0] ?? ''}" too many: the top-level object already ended at line ${end.line}, column ${end.column}; remove the extra one`,
          );
        }
        return structural(
          `unexpected ${shown} after the end of the top-level object (line ${end.line}, column ${end.column}); the file must hold exactly one object`,
        );
      }
      case 'UnexpectedEndOfString':
        return token('a string is not closed: a double quote (") is missing');
      case 'UnexpectedEndOfNumber':
        return structural(`a number is cut short: ${shown}`);
      case 'InvalidUnicode':
        return clean('invalid \\u escape in a string: it needs four hexadecimal digits');
      case 'InvalidEscapeCharacter':
        return clean('invalid escape in a string: a backslash must be followed by one of " \\ / b f n r t u (write a backslash itself as \\\\)');
      case 'InvalidCharacter':
        return clean('a control character (such as a raw tab or line break) inside a string; escape it (\\t, \\n) or remove it');
      default:
        return structural(`invalid JSON near ${shown}`);
    }
  }

  /** A token that is no JSON at all: name the usual culprits. */
  #invalidSymbol(offset: number, found: string, shown: string, secret: boolean): string {
    if (found.startsWith("'")) return 'strings and keys must use double quotes ("), not single quotes';
    if (found.startsWith('=')) return 'use ":" between a key and its value, not "="';
    if (/^[\u2018\u2019\u201C\u201D]/.test(found)) {
      return 'curly quotes (“ ” or ‘ ’) are not JSON quotes; use straight double quotes (") (curly ones come from pasting out of a document or chat)';
    }
    if (secret) return 'a secret value that is not valid JSON (not shown); secrets do not belong in this file: remove the key, and rotate the secret';
    const generic = `unexpected ${shown}; expected a JSON value (a string in double quotes, a number, true, false, an object or an array)`;
    // The whole word, never a cut one (the message is scrubbed as a whole).
    const wordAt = /[+-]?[A-Za-z_$][\w$]*/y;
    wordAt.lastIndex = offset;
    const word = wordAt.exec(this.text)?.[0];
    if (word !== undefined) {
      if (/^[+-]?(NaN|Infinity)$/.test(word)) return `${word} is not a JSON value; write a number`;
      if (/^(True|TRUE|False|FALSE)$/.test(word)) return `JSON writes true and false in lower case: write ${word.toLowerCase()}, not ${word}`;
      if (/^(None|undefined|Null|NULL|nil)$/.test(word)) return `${word} is not a JSON value; to leave a setting unmanaged, remove its key`;
      if (/^\s*:/.test(this.text.slice(offset + word.length, offset + word.length + 50))) {
        return `keys must be in double quotes: write "${word}", not ${word}`;
      }
    }
    const plus = /^\+(\d[\d.eE+-]*)/.exec(found);
    if (plus) return `a number must not start with "+": write ${plus[1] ?? ''}`;
    return generic;
  }

  /** Whether an offset stands in the value of a secret key, e.g. anywhere after `"api_key":` up to the next key. */
  #isSecretValue(offset: number): boolean {
    const spans = (this.#secretSpans ??= secretValueSpans(this.text, this.#isSecretKey));
    let low = 0;
    let high = spans.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const [start, end] = spans[mid] ?? [0, 0];
      if (offset < start) high = mid - 1;
      else if (offset >= end) low = mid + 1;
      else return true;
    }
    return false;
  }

  #previousSignificant(offset: number): number | undefined {
    for (let i = offset - 1; i >= 0; i--) if (!/\s/.test(this.text[i] ?? '')) return i;
    return undefined;
  }
}
