/**
 * Text from the file or the API becomes Markdown only through these helpers, so a value can
 * never close a table cell, open a link, or inject HTML.
 */
import { jsonText } from './json-text.js';
import { printable } from './printable.js';

/**
 * Escapes every character that could mean something to Markdown or HTML (emphasis, links, code,
 * tables, tags) as a numeric entity; letters, digits and harmless punctuation stay readable. Text
 * from outside is also kept from pinging or linking (see `inert`).
 */
export function escapeText(text: string): string {
  return escapeMarkup(inert(text));
}

/**
 * escapeText for the action's own settings (the base-url input), which may read as a link. A line
 * break is a space; any other control or hidden character (a bidirectional override, ESC) is shown
 * as its escape, \u202e, as in the log: GitHub decodes an entity back to the character, which
 * would reorder or hide what a reader sees.
 */
export function escapeMarkup(text: string): string {
  const shown = printable(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
  return shown.replace(NOT_PLAIN, (char) => (readable(char) ? char : entity(char))).replace(BLOCK_START, (start) => `${entity(start)}${start.slice(1)}`);
}

/** Every character but ASCII letters, digits and harmless punctuation (whole code points: u). */
const NOT_PLAIN = /[^A-Za-z0-9 ,.:;'=?%$()#!\-@/]/gu;

/**
 * Of those, what stays as it is: outside ASCII, a letter or digit of any script, the ellipsis and
 * the joiner `inert` adds. Symbols and pictographs (arrows, dingbats, emoji and their variation
 * selectors) are decided without \p{L}/\p{N}: V8 builds the tables of those on a pattern's first
 * use, a cost measured in a run's start (bench/), and a report's own headline holds emoji. (The
 * odd letter-like symbol in those blocks, ①, becomes an entity: it shows the same.)
 */
function readable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80) return false;
  if (char === '…' || char === '\u200D') return true;
  if ((code >= 0x2190 && code <= 0x2bff) || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0x1f000 && code <= 0x1faff)) return false;
  return LETTER_OR_DIGIT.test(char);
}

/** Whether one character (a code point) is a letter or digit of any script. */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * What would make a heading, a list item, a rule or an indented code block of a line that starts
 * with the text (a paragraph, a quoted note): its first character is written as an entity, which
 * Markdown never reads as structure. Elsewhere in a line the entity shows the same character.
 */
const BLOCK_START = /^(?: |(?:[#=-]+|\d+[.)])(?= |$))/;

const entity = (char: string) => `&#${char.codePointAt(0) ?? 32};`;

/**
 * Text that GitHub will not turn into a mention (@user, @org/team), a cross-reference (#1,
 * owner/repo#1, GH-1) or an autolink (https://…, www.…, name@host): a zero-width joiner, invisible
 * when read, goes right after the character that would start one. Entities alone do not do it:
 * GitHub finds mentions and links in the text after entities are decoded. A link's scheme is
 * found by reading back over the letters before "://", whatever comes before them (1https://,
 * &#95;https://): the joiner goes right before "://".
 */
export function inert(text: string): string {
  return (
    text
      // Any character outside ASCII after @ or # gets the joiner too: an invisible joiner too many
      // is harmless, and no \p{L} table is built for it.
      .replace(/([@#])(?=[A-Za-z0-9_-]|[^\0-\x7f])/g, '$1\u200D')
      .replace(/\b(GH)-(?=\d)/gi, '$1\u200D-')
      .replace(/([a-z])(?=:\/\/)/gi, '$1\u200D')
      // GFM links "www." after a space, "*", "_", "~" or "(": any but a letter or digit here.
      .replace(/(?<![a-z0-9])(www)\./gi, '$1\u200D.')
  );
}

/** A JSON value shown as code, e.g. in a table cell. */
export function code(value: unknown): string {
  return codeText(jsonText(value));
}

/** Plain text shown as code. */
export function codeText(text: string): string {
  return `<code>${escapeText(text)}</code>`;
}

/** A fenced block that no backtick run in the content can close early. */
export function fenced(content: string, language = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${content.replace(/\n+$/, '')}\n${fence}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
