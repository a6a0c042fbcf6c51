/**
 * Text from the file or the API becomes Markdown only through these helpers, so a value can
 * never close a table cell, open a link, or inject HTML.
 */

/**
 * Escapes every character that could mean something to Markdown or HTML (emphasis, links, code,
 * tables, tags) as a numeric entity; letters, digits and harmless punctuation stay readable.
 */
export function escapeText(text: string): string {
  return text.replace(/\r?\n|[^\p{L}\p{N} ,.:;'=?%$()#!\-@/]/gu, (char) => (char.includes('\n') ? ' ' : `&#${char.codePointAt(0) ?? 32};`));
}

/** A JSON value shown as code, e.g. in a table cell. */
export function code(value: unknown): string {
  return codeText(JSON.stringify(value) ?? 'undefined');
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
