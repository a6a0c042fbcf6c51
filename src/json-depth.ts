/**
 * The brackets of a JSON text, read without parsing it and without recursion, and how deep it
 * nests: an answer nested thousands of levels deep (a few hundred KB, far under the answer caps)
 * parses, but any walk over its value by recursion overflows the stack. Such an answer is refused
 * or read as text; a file that deep is refused before it is parsed (json-scan.ts).
 */

/** No account, error body or file of this action nests anywhere near this deep. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LINE_FEED = 0x0a;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Calls `onBracket` with each bracket outside strings, in order, until it returns true. A string
 * ends at its closing quote or at a line break (JSON strings cannot hold a raw one), so an
 * unclosed string in a file does not swallow the rest of it; in valid JSON the rules agree.
 */
export function scanBrackets(text: string, onBracket: (opens: boolean, offset: number) => boolean): void {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE || code === LINE_FEED) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (onBracket(true, i)) return;
    } else if ((code === CLOSE_BRACKET || code === CLOSE_BRACE) && onBracket(false, i)) return;
  }
}

/** Where `text` first opens more than `max` objects or lists inside one another, if it does. */
export function firstTooDeep(text: string, max = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let found: number | undefined;
  scanBrackets(text, (opens, offset) => {
    depth += opens ? 1 : -1;
    if (depth > max) found = offset;
    return found !== undefined;
  });
  return found;
}

/** Whether `text` opens more than `max` objects or lists inside one another (strings skipped). */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  return firstTooDeep(text, max) !== undefined;
}
