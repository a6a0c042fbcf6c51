import { plural } from '../wording.js';
import { fileWithLiveValues } from '../state-files.js';
import { writeRunnerTempFile } from '../workspace.js';
import { loadDesiredState, planFacts, readLivePlan, type ModeResult, type Run } from './run.js';

/**
 * Check (schedule): drift between the live account and the file fails the step and hands over
 * the file updated with the live values, ready for a pull request.
 */
export async function checkMode(run: Run): Promise<ModeResult> {
  const { settings, context, log } = run;
  const desired = await loadDesiredState(run);
  const plan = await readLivePlan(run, desired);
  const facts = planFacts(plan);
  if (plan.changes.length === 0) return { ...facts, outcome: 'no-changes', notes: [] };

  const updated = fileWithLiveValues(desired.text, plan.changes);
  const path = writeRunnerTempFile(context.runnerTemp, settings.repoPath, 'drift', log.scrub(updated));
  const list = plan.changes.map((c) => `${c.path} (live ${JSON.stringify(c.before)}, file ${JSON.stringify(c.after)})`).join('; ');
  return {
    ...facts,
    outcome: 'drift',
    notes: [],
    driftFile: updated,
    outputs: path ? { driftFile: path } : {},
    failure: `Drift: ${plural(plan.changes.length, 'setting')} in the live account ${plan.changes.length === 1 ? 'differs' : 'differ'} from ${settings.file}: ${list}. Apply the file to put them back, or update the file with the live values${path ? ` (written to ${path})` : ''}.`,
  };
}
