import { Deadline } from './deadline.js';
import { readRunContext } from './github-context.js';
import { describeInputs, getSettings, inputSecrets, type Mode, type Tuning } from './inputs.js';
import { createLeadConduitClient, type LeadConduitClient } from './leadconduit.js';
import { Log } from './log.js';
import { applyMode } from './modes/apply.js';
import { checkMode } from './modes/check.js';
import { planMode } from './modes/plan.js';
import { failedResult, type ActionOutputs, type ModeResult, type Run } from './modes/run.js';
import { validateMode } from './modes/validate.js';
import { countChanges } from './plan.js';
import { createGitHubApi, type GitHubApi } from './pull-request.js';
import { Redactor } from './redact.js';
import { changesOutput, renderSummary } from './report.js';
import { setSecret } from './workflow-commands.js';

const MODES: Record<Mode, (run: Run) => Promise<ModeResult>> = { validate: validateMode, plan: planMode, check: checkMode, apply: applyMode };

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
  let deadline: Deadline | undefined;
  try {
    const settings = getSettings(process.env, context, tuning);
    report = { mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl };
    deadline = new Deadline(settings.tuning.deadlineMs);
    const run = services(settings, context, log, redactor, deadline);
    // A run that will talk to GitHub loads octokit before ky's first request: whichever HTTP stack
    // loads first is then shared by both, and the other is not set up at all (bench/README.md).
    const callsGitHub = settings.mode === 'plan' ? context.pullRequest !== undefined : settings.mode === 'apply' && context.eventName === 'push';
    if (callsGitHub && settings.apiKey !== '') await run.github();
    result = await MODES[settings.mode](run);
  } catch (error) {
    result = failedResult(error, {}, log);
  } finally {
    deadline?.dispose();
  }

  if (result.failure !== undefined) log.fail(result.failure);
  const outputs: ActionOutputs = { commentUrl: '', previousStateFile: '', driftFile: '', ...result.outputs };
  const { total } = countChanges(result.changes);
  log.setOutput('changed', String(total > 0));
  log.setOutput('change-count', String(total));
  log.setOutput('changes', changesOutput(result.changes));
  log.setOutput('applied', String(result.outcome === 'applied'));
  log.setOutput('comment-url', outputs.commentUrl);
  log.setOutput('previous-state-file', outputs.previousStateFile);
  log.setOutput('drift-file', outputs.driftFile);
  try {
    await log.summary(renderSummary(log.scrubDeep({ ...report, ...result })));
  } catch (error) {
    log.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The run's clients, each made once, on first use: a validation never loads ky or octokit. */
function services(settings: Run['settings'], context: Run['context'], log: Log, redactor: Redactor, deadline: Deadline): Run {
  let leadconduit: LeadConduitClient | undefined;
  let github: Promise<GitHubApi> | undefined;
  const debug = (message: string) => log.debug(message);
  const { requestTimeoutMs, retry } = settings.tuning;
  return {
    settings,
    context,
    log,
    redactor,
    leadconduit: () =>
      (leadconduit ??= createLeadConduitClient({ baseUrl: settings.baseUrl, apiKey: settings.apiKey, requestTimeoutMs, retry, deadline, redactor, debug })),
    github: async () => {
      if (!settings.githubToken || !context.repository) return undefined;
      const { owner, repo } = context.repository;
      return (github ??= createGitHubApi({
        token: settings.githubToken,
        apiUrl: context.apiUrl,
        owner,
        repo,
        retry,
        deadline,
        requestTimeoutMs,
        debug,
        scrub: (text) => redactor.scrub(text),
      }));
    },
  };
}
