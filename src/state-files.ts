import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { escapeJsonText, jsonText } from './json-text.js';
import type { Change } from './plan.js';

/**
 * The desired-state file with the live values of the drifted settings written in, keeping the
 * file's own key order, indentation and line endings, so the diff of a drift PR shows only values.
 * Characters no reader should get raw are \u escapes (jsonText), the file's own included.
 */
export function fileWithLiveValues(text: string, drift: readonly Change[]): string {
  const formattingOptions = detectFormatting(text);
  let result = text;
  for (const change of drift) {
    // A setting not set live cannot be written as a value; the file keeps it.
    if (change.before === null) continue;
    const edits = modify(result, change.path.split('.'), change.before, { formattingOptions });
    result = applyEdits(result, edits);
  }
  return escapeJsonText(result);
}

/** A desired-state file's text for an object, in the house style (2 spaces, final newline; jsonText). */
export function formatStateFile(value: unknown): string {
  return `${jsonText(value, 2)}\n`;
}

export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indented?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indented?.length ?? 2, eol };
}
