/**
 * The Markdown parts the job summary and the pull request comment share, each built from escaped
 * values (markdown.ts): a value from the file or an answer never becomes markup. Long values are
 * cut to `max` characters raw, before escaping, so an escape is never cut in half.
 */
import { jsonText } from './json-text.js';
import { codeText, escapeText, table } from './markdown.js';
import { countChanges, type Change, type Json } from './plan.js';
import { failureText, type RunReport } from './report.js';
import { cut, plural } from './wording.js';

/**
 * Under the verdict of a failure: what it does not say (the failure's items, then the rest of the
 * explanation), and whether LeadConduit was sent anything, said once (many messages say it already).
 */
export function explanation(report: RunReport, max: number): string[] {
  if (!report.error || report.problems?.length)
    return report.problems?.length ? [escapeText(`Nothing was sent. Each problem is annotated on its line of ${report.file}:`)] : [];
  const parts: string[] = [];
  if (report.errorDetails?.length) parts.push(report.errorDetails.map((d) => `- ${escapeText(cut(d, max))}`).join('\n'));
  const { detail } = failureText(report);
  if (detail !== '') parts.push(escapeText(cut(detail, max)));
  if (!report.bodySent && !/nothing was (sent|changed|written)/i.test(report.error)) parts.push('Nothing was sent to LeadConduit.');
  return parts;
}

/** The settings that did not take after the update, expected and actual: said once, here. */
export function mismatchTable(report: RunReport, max: number): string | undefined {
  if (!report.mismatches?.length) return undefined;
  return `Settings that do not match the file after the update:\n\n${table(
    ['Setting', 'Expected', 'Account has'],
    report.mismatches.map((m) => [codeText(m.path), valueCell(m.expected, max), valueCell(m.actual, max)]),
  )}`;
}

export function valueCell(value: Json, max: number): string {
  if (value === null) return '<em>not set</em>';
  return codeText(cut(jsonText(value), max));
}

function noteCell(change: Change): string {
  return change.destructive ? `⚠️ **Destructive:** ${escapeText(change.warning ?? 'cannot be undone')}` : '';
}

export function changeTable(changes: readonly Change[], applied: boolean, max: number): string {
  const header = applied ? ['Setting', 'Before', 'After', 'Note'] : ['Setting', 'Live', 'Desired', 'Note'];
  return table(
    header,
    changes.map((c) => [codeText(c.path), valueCell(c.before, max), valueCell(c.after, max), noteCell(c)]),
  );
}

/** The change tables, split into reverted live edits and PR changes on a three-way plan. */
export function changeSections(report: RunReport, max: number): string[] {
  if (report.changes.length === 0) return [];
  const applied = report.outcome === 'applied';
  if (!report.threeWay) return [changeTable(report.changes, applied, max)];
  const drift = report.changes.filter((c) => c.source === 'drift');
  const fromPr = report.changes.filter((c) => c.source !== 'drift');
  const sections: string[] = [];
  if (drift.length > 0) {
    sections.push(
      `#### ⚠️ Live edits this merge will revert (${drift.length})\n\nThese settings were changed in LeadConduit outside ${codeText(report.file)}; this pull request does not touch them, but applying it puts them back to the file's values. Update the file first if the live values are right.\n\n${changeTable(drift, applied, max)}`,
    );
  }
  if (fromPr.length > 0) sections.push(`#### Changes in this pull request (${fromPr.length})\n\n${changeTable(fromPr, applied, max)}`);
  return sections;
}

export function accountText(account: NonNullable<RunReport['account']>, max: number): string {
  return `${escapeText(cut(account.name ?? 'no name', max))} (${codeText(account.id)})`;
}

/** What merging a plan does, said where the plan is shown. */
export function mergeNote(report: RunReport): string | undefined {
  if (report.outcome !== 'planned') return undefined;
  const { total, destructive } = countChanges(report.changes);
  if (destructive === 0) return 'Merging applies these changes.';
  const allow = 'unless the workflow sets <code>allow-destructive: true</code>';
  if (destructive === total)
    return `⚠️ Merging applies nothing as it stands: the apply refuses ${total === 1 ? 'this destructive change' : `these ${total} destructive changes`} ${allow}.`;
  // The apply sends all the changes or none: a destructive one stops the others too.
  return `⚠️ Merging applies nothing as it stands: ${destructive === 1 ? 'one change is destructive' : `${destructive} changes are destructive`}, and the apply refuses ${total === 2 ? 'both' : `all ${total}`} ${allow}.`;
}

export function problemList(report: RunReport, max: number): string {
  const problems = report.problems ?? [];
  const lines = problems.map(
    (p) => `- ${escapeText(`${report.file}:${p.line}:${p.column}`)}${p.path ? ` ${codeText(cut(p.path, max))}` : ''}: ${escapeText(cut(p.message, max))}`,
  );
  const more = (report.problemCount ?? problems.length) - problems.length;
  if (more > 0) lines.push(`- …and ${plural(more, 'more problem')} not shown: fix these first, then run again.`);
  return lines.join('\n');
}

export function notes(report: RunReport, max: number): string[] {
  const warnings = (report.fileWarnings ?? []).map((w) => `> ⚠️ ${escapeText(cut(`${report.file}:${w.line}:${w.column}: ${w.message}`, max))}`);
  return [...warnings, ...report.notes.map((note) => `> ${escapeText(cut(note, max))}`)];
}

/**
 * Headlines carry the error text: escape it, and show the verdict's emoji (and other pictographs)
 * as themselves. Never the invisible format characters below U+2600 (bidirectional overrides,
 * line separators) nor a byte order mark or annotation characters.
 */
export function escapeHeadline(text: string): string {
  return escapeText(text).replace(/&#(\d+);/g, (entity, digits: string) => {
    const n = Number(digits);
    const pictograph = n >= 0x2600 && n !== 0xfeff && !(n >= 0xfff9 && n <= 0xfffb);
    return pictograph ? String.fromCodePoint(n) : entity;
  });
}
