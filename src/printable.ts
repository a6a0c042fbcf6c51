/**
 * The characters beyond C0 that are never written raw: DEL and the C1 controls (U+009B starts a
 * terminal sequence), the line and paragraph separators (a line break to some readers), the
 * bidirectional marks, embeddings, overrides and isolates (they reorder what a reader sees), and
 * the byte order mark.
 */
export const HIDDEN_CHARACTERS = '\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff';

// Every control character (C0 too) and the hidden ones.
const UNPRINTABLE = new RegExp(`[\u0000-\u001f${HIDDEN_CHARACTERS}]`, 'g');

/**
 * Text as one printable line: line breaks and every other control character (C0, DEL, C1), the
 * line and paragraph separators and the bidirectional controls shown as escapes (\n, \r, \t,
 * \x1b, \u202e). Text from outside then cannot start a log line of its own, and cannot move the
 * cursor, clear, recolour or retitle a terminal.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = char.charCodeAt(0);
    return named[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/**
 * A printed line that no workflow command can start. The runner reads "::command::" at the start
 * of a line (after white space) and its legacy form "##[command]" anywhere in a line
 * (actions/runner ActionCommand.TryParse): a zero-width space after the first ":" or after "##"
 * keeps the text as it reads, and keeps it data. The runner cannot tell our text from text that
 * came from outside, so every printed line goes through here.
 */
export function commandInert(line: string): string {
  return line.replace(/^(\s*):(?=:)/, '$1:\u200B').replace(/##\[/g, '##\u200B[');
}
