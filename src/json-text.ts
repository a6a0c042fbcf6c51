import { HIDDEN_CHARACTERS } from './printable.js';

// JSON.stringify escapes C0 controls itself; "[" after "##" would read as a runner's command in a log.
const UNSAFE = new RegExp(`[${HIDDEN_CHARACTERS}]|(?<=##)\\[`, 'g');

/**
 * JSON text that is already JSON, with every character JSON.stringify leaves raw but a reader or a
 * runner must not get raw (printable.ts HIDDEN_CHARACTERS, and the "[" of "##[") written as its
 * \u escape. Outside strings JSON holds none of them, so the text stays JSON with the same value.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A value as JSON for people and for other steps: the outputs, the files in RUNNER_TEMP, the JSON
 * blocks and cells of the summary and the comment, the command line's --json. JSON.stringify
 * leaves C1 controls, the line separators and the bidirectional controls raw, which can hide or
 * reorder what a reader sees (Trojan Source); here they are \u escapes. `undefined` is "undefined".
 */
export function jsonText(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent) as string | undefined;
  return json === undefined ? 'undefined' : escapeJsonText(json);
}
