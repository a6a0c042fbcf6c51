/**
 * The rule for a failure's Markdown (the job summary, the failed plan's comment, the apply's
 * outcome on the pull request): its first visible line is the `###` verdict and one short
 * sentence, and nothing below says that sentence, or a clause of it, again.
 */
import { expect } from 'vitest';

const OUTCOME_START = '<!-- leadconduit-account-action:outcome -->';
const OUTCOME_END = '<!-- /leadconduit-account-action:outcome -->';

/** Markdown as a reader sees its words: entities decoded, tags and invisible joiners dropped. */
export function readable(markdown: string): string {
  return markdown
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/<[^>]+>/g, '')
    .replaceAll('\u200D', '')
    .replace(/\*\*/g, '');
}

/** The verdict heading and what is under it: of the outcome block when there is one (the plan below it is the record). */
export function verdictAndBody(markdown: string): { verdict: string; body: string } {
  let text = markdown;
  const start = text.indexOf(OUTCOME_START);
  if (start >= 0) text = text.slice(start + OUTCOME_START.length, text.indexOf(OUTCOME_END));
  const lines = text.split('\n').filter((line) => !/^<!-- leadconduit-account-action:/.test(line));
  const first = lines.findIndex((line) => line.trim() !== '');
  expect(lines[first], 'the first visible line is the verdict').toMatch(/^### \S/);
  return { verdict: readable((lines[first] ?? '').slice(4)), body: readable(lines.slice(first + 1).join('\n')) };
}

/** The clauses of the verdict's sentence ("❌ Failed: X; Y" -> X, Y), of three words or more. */
export function verdictClauses(verdict: string): string[] {
  const sentence = verdict.replace(/^\S+\s+[\w ]+?:\s/, '');
  return sentence
    .split(/;\s|:\s|\.\s/)
    .map((clause) => clause.trim().replace(/\.$/, ''))
    .filter((clause) => clause.split(/\s+/).length >= 3);
}

export function expectVerdictSaidOnce(markdown: string, what = 'the report'): void {
  const { verdict, body } = verdictAndBody(markdown);
  const clauses = verdictClauses(verdict);
  expect(clauses.length, `${what}: a verdict with a sentence (${verdict})`).toBeGreaterThan(0);
  for (const clause of clauses) expect(body.toLowerCase(), `${what} says "${clause}" again under its verdict`).not.toContain(clause.toLowerCase());
}
