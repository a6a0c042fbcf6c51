import { readRunContext } from './github-context.js';
import { describeInputs, getSettings, inputSecrets, type Mode, type Tuning } from './inputs.js';
import { Log } from './log.js';
import { offlineMode } from './modes/offline.js';
import { failedResult, type ActionOutputs, type ModeResult } from './modes/run.js';
import { countChanges } from './plan.js';
import { Redactor } from './redact.js';
import { changesOutput } from './report.js';
import { renderSummary } from './report-summary.js';
import { setSecret } from './workflow-commands.js';

/**
 * The action: read the settings, make the clients, run one mode, then write what it returned.
 * Every outcome, failures included, ends with a job summary and all outputs set.
 */
export async function run(tuning: Partial<Tuning> = {}): Promise<void> {
  const redactor = new Redactor(setSecret);
  // Masked before anything else runs, so no later line can print them.
  for (const { value, kind } of inputSecrets(process.env)) redactor.add(value, kind);
  const log = new Log(redactor);
  const context = readRunContext(process.env);
  let report = { mode: 'plan' as Mode, ...describeInputs(process.env) };
  let result: ModeResult;
  try {
    const settings = getSettings(process.env, context, tuning);
    report = { mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl };
    const run = { settings, context, log, redactor };
    const { mode } = settings;
    // The modes that send requests, and their clients, load only when one runs: a run that sends
    // nothing (mode validate, a pull request from a fork) reads the least code (bench/README.md).
    result = mode === 'validate' || settings.apiKey === '' ? await offlineMode(run) : await (await import('./modes/online.js')).onlineMode(mode, run);
  } catch (error) {
    result = failedResult(error, {}, log);
  }

  if (result.failure !== undefined) log.fail(result.failure);
  const outputs: ActionOutputs = { commentUrl: '', previousStateFile: '', driftFile: '', ...result.outputs };
  const { total } = countChanges(result.changes);
  log.setOutput('changed', String(total > 0));
  log.setOutput('change-count', String(total));
  // Scrubbed raw, before the values are written as JSON.
  log.setOutput('changes', changesOutput(log.scrubDeep(result.changes)));
  log.setOutput('applied', String(result.outcome === 'applied'));
  log.setOutput('comment-url', outputs.commentUrl);
  log.setOutput('previous-state-file', outputs.previousStateFile);
  log.setOutput('drift-file', outputs.driftFile);
  try {
    log.summary(renderSummary(log.scrubDeep({ ...report, ...result })));
  } catch (error) {
    log.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
}
