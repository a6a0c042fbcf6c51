/**
 * What every mode gets (the settings, the run's context and clients, the log) and what it gives
 * back (its outcome, the facts for the summary and comment, its outputs). Modes return results;
 * main.ts merges them into the summary and the outputs.
 */
import { plural } from '../wording.js';
import { basename } from 'node:path';
import type { DesiredStateFile } from '../desired-state.js';
import { UserError, InputError, getErrorMessage } from '../errors.js';
import type { RunContext } from '../github-context.js';
import type { Settings } from '../inputs.js';
import type { LeadConduitClient } from '../leadconduit.js';
import type { Log } from '../log.js';
import { countChanges } from '../plan.js';
import type { GitHubApi } from '../github-api.js';
import type { Redactor } from '../redact.js';
import type { RunReport } from '../report.js';
import { InvalidFileError, WrongAccountError, readPlan, validateDesiredState, type Plan } from '../steps.js';
import { readWorkspaceFile } from '../workspace.js';

/** What a run that sends nothing gets. */
export interface OfflineRun {
  settings: Settings;
  context: RunContext;
  log: Log;
  redactor: Redactor;
}

/** What a run that reads the live account gets: the clients too. */
export interface Run extends OfflineRun {
  /** The LeadConduit client, made on first use. */
  leadconduit(): LeadConduitClient;
  /** The GitHub client, made on first use; undefined without a token or a repository. */
  github(): Promise<GitHubApi | undefined>;
}

export interface ActionOutputs {
  commentUrl: string;
  previousStateFile: string;
  driftFile: string;
}

/** A mode's outcome and the facts the summary shows; `failure` is set when the step must fail. */
export type ModeResult = Omit<RunReport, 'mode' | 'file' | 'baseUrl'> & {
  /** The one line the step fails with (core.setFailed); absent when the step passes. */
  failure?: string;
  outputs?: Partial<ActionOutputs>;
};

/**
 * A thrown error as the run's result, with whatever the mode knew by then. A user error (bad
 * input, an API refusal) is shown as is; anything else is a bug, said so, its stack in the debug log.
 */
export function failedResult(error: unknown, known: Partial<ModeResult>, log: Log): ModeResult {
  const user = error instanceof UserError;
  if (!user && error instanceof Error && error.stack) log.debug(error.stack);
  let message = user ? error.message : `Unexpected error (a bug in this action, please report it): ${getErrorMessage(error)}`;
  const result: ModeResult = { changes: [], notes: [], ...known, outcome: 'failed', failure: message };
  if (error instanceof InvalidFileError) {
    message = `${error.message} (each is annotated on its line); nothing was sent.`;
    return { ...result, outcome: 'invalid', problems: [...error.problems], problemCount: error.total, error: message, failure: message };
  }
  if (error instanceof InputError) result.outcome = 'invalid';
  if (error instanceof WrongAccountError) result.account ??= { id: error.account.id, name: error.account.name };
  if (user && error.details.length > 0) result.errorDetails = error.details;
  if (user && error.verdict) Object.assign(result, error.verdict);
  return { ...result, error: message };
}

/** Step "Validate": the file from the workspace, each problem annotated on its line. */
export async function loadDesiredState(run: OfflineRun): Promise<DesiredStateFile> {
  const { settings, context, log, redactor } = run;
  return log.group('Validate', () => {
    const { bytes, size } = readWorkspaceFile(settings.file, settings.filePath, context.workspace);
    try {
      const desired = validateDesiredState(bytes, settings.repoPath, redactor, settings.file, size);
      log.info(`${settings.file} is valid (${settings.mode} mode).`);
      const title = `${basename(settings.file)}: set by LeadConduit`;
      for (const warning of desired.warnings)
        log.warning(warning.message, { file: settings.repoPath, startLine: warning.line, startColumn: warning.column, title });
      return desired;
    } catch (error) {
      if (error instanceof InvalidFileError) {
        const title = `Invalid ${basename(settings.file)}`;
        for (const problem of error.problems)
          log.error(problem.message, { file: settings.repoPath, startLine: problem.line, startColumn: problem.column, title });
        const more = error.total - error.problems.length;
        if (more > 0) log.error(`and ${plural(more, 'more problem')} not shown: fix these first, then run again.`, { file: settings.repoPath, title });
      }
      throw error;
    }
  });
}

/** Step "Read the live account": the account, checked against the file's id, and the plan. */
export async function readLivePlan(run: Run, desired: DesiredStateFile): Promise<Plan> {
  return run.log.group('Read the live account', async () => {
    const plan = await readPlan(run.leadconduit(), desired, run.settings.file, (text) => run.redactor.scrub(text));
    run.log.info(`Read account ${plan.live.name ?? ''} (${plan.live.id}) with ${plan.via}.`);
    const { total, destructive } = countChanges(plan.changes);
    run.log.info(`${plural(total, 'change')}, ${destructive} destructive.`);
    return plan;
  });
}

/** The facts of a plan every summary shows. */
export function planFacts(plan: Plan): Pick<ModeResult, 'account' | 'changes' | 'requestBody' | 'fileWarnings'> {
  return { account: { id: plan.live.id, name: plan.live.name }, changes: plan.changes, requestBody: plan.body, fileWarnings: plan.desired.warnings };
}

/** Apply and check read the live account: without the key there is nothing they can do. */
export function missingApiKey(mode: string): InputError {
  return new InputError(
    `Input "api-key" is empty: ${mode} mode reads the live account and needs the LeadConduit API key (api-key: \${{ secrets.LEADCONDUIT_API_KEY }}). Nothing was sent.`,
  );
}
