/**
 * How deep a JSON text nests, found without parsing it and without recursion: an answer nested
 * thousands of levels deep (a few hundred KB, far under the answer caps) parses, but any walk
 * over its value by recursion overflows the stack. Such an answer is refused or read as text.
 */

/** No account, error body or file of this action nests anywhere near this deep. */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` opens more than `max` objects or lists inside one another (strings skipped). */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}
