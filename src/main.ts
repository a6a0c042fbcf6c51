import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { LiveAccount } from './account-schema.js';
import { parseDesiredState, secretsInFile, type DesiredStateFile } from './desired-state.js';
import { InputError, UserError, getErrorMessage } from './errors.js';
import { readRunContext, type RunContext } from './github-context.js';
import { DEFAULT_BASE_URL, DEFAULT_FILE, credentialsIn, displayUrl, getSettings, isInside, readInput, type Settings, type Tuning } from './inputs.js';
import { createLeadConduitClient } from './leadconduit.js';
import { Log } from './log.js';
import { buildAccountUpdate, classifyChanges, planChanges, previousState, verifyAccount } from './plan.js';
import { createGitHubApi, describeGitHubError, type GitHubApi } from './pull-request.js';
import { Redactor } from './redact.js';
import { changesOutput, countChanges, renderComment, renderSummary, type RunReport } from './report.js';
import { Deadline } from './retry.js';
import { commentMarker, planMarker, readPlanMarker, sameChanges } from './reviewed-plan.js';
import { fileWithLiveValues, formatStateFile } from './state-files.js';
import { setSecret } from './workflow-commands.js';

/** The file had problems: they were annotated one by one; the run fails with their count. */
class InvalidFileError extends UserError {}

/**
 * The action: inputs -> desired-state file -> live account -> plan -> report -> (apply -> verify).
 * Every outcome, failures included, ends with a job summary and all outputs set.
 */
export async function run(tuning: Partial<Tuning> = {}): Promise<void> {
  const redactor = new Redactor(setSecret);
  // Masked before anything else runs, so no later line can print it.
  redactor.add(readInput(process.env, 'api-key'));
  redactor.add(readInput(process.env, 'github-token'));
  for (const credential of credentialsIn(readInput(process.env, 'base-url'))) redactor.add(credential);
  const log = new Log(redactor);
  const context = readRunContext(process.env);
  const report: RunReport = {
    outcome: 'failed',
    mode: 'plan',
    file: readInput(process.env, 'file') || DEFAULT_FILE,
    baseUrl: displayUrl(readInput(process.env, 'base-url') || DEFAULT_BASE_URL),
    changes: [],
    notes: [],
  };
  const outputs = { commentUrl: '', previousStateFile: '', driftFile: '' };
  let deadline: Deadline | undefined;
  try {
    const settings = getSettings(process.env, context, tuning);
    Object.assign(report, { mode: settings.mode, file: settings.file, baseUrl: settings.baseUrl });
    deadline = new Deadline(settings.tuning.deadlineMs);
    const runner = new Runner(settings, context, report, outputs, log, redactor, deadline);
    await runner.execute();
  } catch (error) {
    const message = error instanceof UserError ? error.message : `Unexpected error (a bug in this action, please report it): ${getErrorMessage(error)}`;
    if (!(error instanceof UserError) && error instanceof Error && error.stack) log.debug(error.stack);
    report.outcome = error instanceof InvalidFileError || error instanceof InputError ? 'invalid' : 'failed';
    report.error = message;
    if (error instanceof UserError && error.details.length > 0 && !(error instanceof InvalidFileError)) report.errorDetails = error.details;
    log.fail(message);
  } finally {
    deadline?.dispose();
    const { total } = countChanges(report.changes);
    log.setOutput('changed', String(total > 0));
    log.setOutput('change-count', String(total));
    log.setOutput('changes', changesOutput(report.changes));
    log.setOutput('applied', String(report.outcome === 'applied'));
    log.setOutput('comment-url', outputs.commentUrl);
    log.setOutput('previous-state-file', outputs.previousStateFile);
    log.setOutput('drift-file', outputs.driftFile);
    try {
      await log.summary(renderSummary(report));
    } catch (error) {
      log.warning(`Could not write the job summary: ${getErrorMessage(error)}`);
    }
  }
}

/** One run's state and steps; main's only job is to put them in order. */
class Runner {
  constructor(
    private readonly settings: Settings,
    private readonly context: RunContext,
    private readonly report: RunReport,
    private readonly outputs: { commentUrl: string; previousStateFile: string; driftFile: string },
    private readonly log: Log,
    private readonly redactor: Redactor,
    private readonly deadline: Deadline,
  ) {}

  /** The file's path from the repository root, as annotations and the contents API want it. */
  get repoPath(): string {
    return relative(this.context.workspace, this.settings.filePath).split(sep).join('/');
  }

  async execute(): Promise<void> {
    const { settings, report, log } = this;
    const desired = await this.loadDesiredState();
    log.info(`${settings.file} is valid (${settings.mode} mode).`);

    if (settings.mode === 'validate') {
      report.outcome = 'validated';
      return;
    }
    if (settings.apiKey === '') {
      if (settings.mode === 'plan') {
        report.outcome = 'validated';
        report.notes.push(
          'The live account was not compared: the api-key input is empty. GitHub gives no secrets to pull requests from forks; the file was validated only. Otherwise, pass the LeadConduit API key as api-key: ${{ secrets.LEADCONDUIT_API_KEY }}.',
        );
        log.warning(report.notes[0] ?? '');
        return;
      }
      throw new InputError(
        `Input "api-key" is empty: ${settings.mode} mode reads the live account and needs the LeadConduit API key (api-key: \${{ secrets.LEADCONDUIT_API_KEY }}). Nothing was sent.`,
      );
    }

    const { account: live, via } = await this.client().readAccount(desired.state.id);
    report.account = { id: live.id, name: live.name };
    log.info(`Read account ${live.name ?? ''} (${live.id}) with ${via}.`);
    if (desired.state.id !== undefined && desired.state.id.toLowerCase() !== live.id.toLowerCase()) {
      throw new UserError(
        `${settings.file} is for account ${desired.state.id}, but the API key reads account ${live.id} (${live.name ?? 'no name'}). Nothing was changed: use the API key of account ${desired.state.id}, or correct "id" in the file.`,
      );
    }

    const changes = planChanges(desired.state, live);
    report.changes = changes;
    report.requestBody = buildAccountUpdate(desired.state, live, changes);
    const { total, destructive } = countChanges(changes);
    log.info(`${total} change(s), ${destructive} destructive.`);

    switch (settings.mode) {
      case 'plan':
        return this.plan(desired);
      case 'check':
        return this.check(desired);
      case 'apply':
        return this.apply(desired, live);
    }
  }

  async loadDesiredState(): Promise<DesiredStateFile> {
    const { settings, context, log, report } = this;
    const bytes = await readWorkspaceFile(settings, context.workspace);
    const parsed = parseDesiredState(bytes, this.repoPath);
    if (parsed.ok) return parsed.desired;
    // A committed api_key is still a secret: mask it before any message could quote it.
    for (const secret of secretsInFile(Buffer.from(bytes).toString('utf8'))) this.redactor.add(secret);
    for (const problem of parsed.problems) {
      log.error(problem.message, { file: this.repoPath, startLine: problem.line, startColumn: problem.column, title: `Invalid ${basename(settings.file)}` });
    }
    report.problems = parsed.problems;
    const count = parsed.problems.length;
    throw new InvalidFileError(`${settings.file} has ${count} problem${count === 1 ? '' : 's'} (each is annotated on its line); nothing was sent.`);
  }

  async plan(desired: DesiredStateFile): Promise<void> {
    const { settings, context, report, log } = this;
    report.outcome = report.changes.length > 0 ? 'planned' : 'no-changes';
    const pr = context.pullRequest;
    if (!pr) return;

    const github = await this.github();
    if (github) await this.splitThreeWay(github, pr.baseSha);
    this.annotateChanges(desired);
    if (!settings.comment) return;
    if (!github) {
      log.warning('Could not comment on the pull request: no github-token or repository; the summary has the plan.');
      return;
    }
    const marker = commentMarker(this.repoPath);
    const footer = `Plan for commit ${(pr.headSha ?? context.sha).slice(0, 12)} · updated ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}${context.runUrl ? ` · [run](${context.runUrl})` : ''}`;
    const body = this.log.scrub(`${marker}\n${planMarker(report.changes)}\n${renderComment(report, footer)}`);
    try {
      const { comment, created } = await github.upsertComment(pr.number, marker, body);
      this.outputs.commentUrl = comment.url;
      log.info(`${created ? 'Created' : 'Updated'} the plan comment: ${comment.url}`);
    } catch (error) {
      log.warning(describeGitHubError('comment on the pull request', error));
    }
  }

  /** Changes the PR makes versus live edits it would revert, from the file on the base commit. */
  async splitThreeWay(github: GitHubApi, baseSha: string | undefined): Promise<void> {
    const { report, log } = this;
    if (!baseSha) {
      report.notes.push('The base commit of the pull request is unknown, so changes are not split into pull-request changes and live edits.');
      return;
    }
    let baseText: string | undefined;
    try {
      baseText = await github.readFile(this.repoPath, baseSha);
    } catch (error) {
      const reason = describeGitHubError(`read ${this.repoPath} on the base commit`, error);
      log.warning(reason);
      report.notes.push(`${reason} Changes are shown without telling pull-request changes from live edits.`);
      return;
    }
    if (baseText === undefined) {
      report.changes = classifyChanges(report.changes, undefined);
      report.threeWay = true;
      return;
    }
    const base = parseDesiredState(Buffer.from(baseText), this.repoPath);
    if (!base.ok) {
      report.notes.push(
        `${this.repoPath} on the base branch is not a valid desired-state file, so changes are not split into pull-request changes and live edits.`,
      );
      return;
    }
    report.changes = classifyChanges(report.changes, base.desired.state);
    report.threeWay = true;
    const drift = report.changes.filter((c) => c.source === 'drift');
    if (drift.length > 0) {
      log.warning(`${drift.length} setting(s) were changed in LeadConduit outside the file; merging reverts them: ${drift.map((c) => c.path).join(', ')}.`);
    }
  }

  /** Each change on its line in "Files changed": a notice, or a warning when destructive. */
  annotateChanges(desired: DesiredStateFile): void {
    for (const change of this.report.changes) {
      const { line, column } = desired.source.locate(change.path.split('.'));
      const title = `will change: ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`;
      const props = { file: this.repoPath, startLine: line, startColumn: column, title };
      if (change.destructive) this.log.warning(`${change.path}: destructive: ${change.warning ?? ''}`, props);
      else this.log.notice(`${change.path} ${title}`, props);
    }
  }

  async check(desired: DesiredStateFile): Promise<void> {
    const { report, settings, log } = this;
    if (report.changes.length === 0) {
      report.outcome = 'no-changes';
      return;
    }
    report.outcome = 'drift';
    const updated = fileWithLiveValues(desired.text, report.changes);
    report.driftFile = updated;
    const path = await this.writeTempFile('drift', updated);
    if (path) this.outputs.driftFile = path;
    const list = report.changes.map((c) => `${c.path} (live ${JSON.stringify(c.before)}, file ${JSON.stringify(c.after)})`).join('; ');
    log.fail(
      `Drift: ${report.changes.length} setting(s) in the live account differ from ${settings.file}: ${list}. Apply the file to put them back, or update the file with the live values${path ? ` (written to ${path})` : ''}.`,
    );
  }

  async apply(desired: DesiredStateFile, live: LiveAccount): Promise<void> {
    const { report, settings, context, log } = this;
    report.trigger = {
      actor: context.actor,
      event: context.eventName,
      commit: context.sha,
      ...(context.pullRequest?.url ? { pullRequest: { number: context.pullRequest.number, url: context.pullRequest.url } } : {}),
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    };
    if (report.changes.length === 0) {
      report.outcome = 'no-changes';
      log.info('Nothing to apply: the live account matches the file.');
      return;
    }
    const destructive = report.changes.filter((c) => c.destructive);
    if (destructive.length > 0 && !settings.allowDestructive) {
      throw new UserError(
        `Refusing to apply ${destructive.length} destructive change(s): ${destructive.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)} (${c.warning ?? ''})`).join('; ')}. Nothing was sent. If this is intended, set allow-destructive: true for this run.`,
      );
    }
    await this.checkReviewedPlan();

    const before = formatStateFile(previousState(desired.state, live));
    report.previousState = before;
    const path = await this.writeTempFile('previous', before);
    if (path) this.outputs.previousStateFile = path;

    const body = report.requestBody ?? {};
    log.info(`Sending PUT /account with ${Object.keys(body).join(', ')}.`);
    report.bodySent = true;
    const after = await this.client().updateAccount(body);
    const mismatches = verifyAccount(desired.state, after);
    if (mismatches.length > 0) {
      report.mismatches = mismatches;
      throw new UserError(
        `LeadConduit accepted the update, but ${mismatches.length} setting(s) do not match the file afterwards: ${mismatches.map((m) => `${m.path} is ${JSON.stringify(m.actual)}, expected ${JSON.stringify(m.expected)}`).join('; ')}. Check the account in LeadConduit.`,
      );
    }
    report.outcome = 'applied';
    log.info(`Applied ${report.changes.length} change(s); the account now matches ${settings.file}.`);
  }

  /**
   * After a merge, the changes about to be sent must be the ones reviewers saw in the PR comment.
   * A live edit made after the review changes the plan, and then nothing is sent.
   */
  async checkReviewedPlan(): Promise<void> {
    const { context, report, settings, log } = this;
    if (context.eventName !== 'push') {
      report.notes.push(`No reviewed plan was looked for (a ${context.eventName || 'manual'} run); the changes below were applied as planned now.`);
      return;
    }
    const github = await this.github();
    if (!github) {
      report.notes.push('No reviewed plan was found (no github-token or repository); applied without comparing with a reviewed plan.');
      return;
    }
    let reviewed: ReturnType<typeof readPlanMarker>;
    let prNumber: number | undefined;
    try {
      const pulls = await github.pullRequestsForCommit(context.sha);
      const pr = pulls.find((p) => p.mergeCommitSha === context.sha) ?? pulls.find((p) => p.merged) ?? pulls[0];
      if (pr) {
        prNumber = pr.number;
        report.trigger = { ...report.trigger!, pullRequest: { number: pr.number, url: pr.url } };
        const comment = await github.findComment(pr.number, commentMarker(this.repoPath));
        reviewed = comment ? readPlanMarker(comment.body) : undefined;
      }
    } catch (error) {
      // Not "no reviewed plan": there may be one we cannot see. Sending unchecked changes after a
      // merge is what this guard exists to stop, so stop unless told otherwise.
      const reason = describeGitHubError('look up the reviewed plan', error);
      if (!settings.allowUnreviewedChanges) {
        throw new UserError(
          `${reason} Nothing was sent: the changes could not be compared with the plan reviewed on the pull request. Re-run the job, or set allow-unreviewed-changes: true.`,
        );
      }
      log.warning(reason);
      report.notes.push(`${reason} Applied without comparing with a reviewed plan because allow-unreviewed-changes is true.`);
      return;
    }
    if (!reviewed) {
      report.notes.push(
        prNumber === undefined
          ? 'No reviewed plan was found: this commit belongs to no pull request (a direct push). Applied without comparing with a reviewed plan.'
          : `No reviewed plan was found on pull request #${prNumber} (no plan comment for this file). Applied without comparing with a reviewed plan.`,
      );
      return;
    }
    if (sameChanges(reviewed, report.changes)) {
      report.notes.push(`The changes match the plan reviewed on pull request #${prNumber}.`);
      return;
    }
    const show = (list: readonly { path: string; before: unknown; after: unknown }[]) =>
      list.length === 0 ? 'no changes' : list.map((c) => `${c.path} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');
    const message = `The changes to send differ from the plan reviewed on pull request #${prNumber}: reviewed ${show(reviewed)}; now ${show(report.changes)}. The live account changed after the review.`;
    if (settings.allowUnreviewedChanges) {
      report.notes.push(`${message} Applied anyway because allow-unreviewed-changes is true.`);
      log.warning(message);
      return;
    }
    throw new UserError(`${message} Nothing was sent. Re-run the plan (push to a pull request) and review it, or set allow-unreviewed-changes: true.`);
  }

  #client: ReturnType<typeof createLeadConduitClient> | undefined;
  client(): ReturnType<typeof createLeadConduitClient> {
    this.#client ??= createLeadConduitClient({
      baseUrl: this.settings.baseUrl,
      apiKey: this.settings.apiKey,
      requestTimeoutMs: this.settings.tuning.requestTimeoutMs,
      retry: this.settings.tuning.retry,
      deadline: this.deadline,
      redactor: this.redactor,
      debug: (message) => this.log.debug(message),
    });
    return this.#client;
  }

  #github: GitHubApi | undefined;
  async github(): Promise<GitHubApi | undefined> {
    const { settings, context } = this;
    if (!settings.githubToken || !context.repository) return undefined;
    this.#github ??= await createGitHubApi({
      token: settings.githubToken,
      apiUrl: context.apiUrl,
      owner: context.repository.owner,
      repo: context.repository.repo,
      retry: settings.tuning.retry,
      deadline: this.deadline,
      requestTimeoutMs: settings.tuning.requestTimeoutMs,
      debug: (message) => this.log.debug(message),
    });
    return this.#github;
  }

  /**
   * Files for a next step (upload-artifact, create-pull-request) go to RUNNER_TEMP, named after the
   * file's whole path so that a matrix over accounts/a.json and other/a.json keeps both.
   */
  async writeTempFile(kind: 'drift' | 'previous', content: string): Promise<string | undefined> {
    const dir = this.context.runnerTemp;
    if (!dir) return undefined;
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${this.repoPath.replace(/\.json$/i, '').replace(/[^\w.-]+/g, '-')}.${kind}.json`);
    await writeFile(path, this.log.scrub(content));
    return path;
  }
}

/** The desired-state file's bytes, refusing anything that resolves outside the workspace. */
async function readWorkspaceFile(settings: Settings, workspace: string): Promise<Uint8Array> {
  const hint = 'Commit it, or set the "file" input to its path relative to the repository root (and run actions/checkout before this step).';
  let stats;
  try {
    stats = await lstat(settings.filePath);
  } catch {
    throw new UserError(`${settings.file} was not found in the workspace (${settings.filePath}). ${hint}`);
  }
  if (stats.isDirectory()) throw new UserError(`${settings.file} is a directory, not a file. ${hint}`);
  const real = await realpath(settings.filePath);
  const root = await realpath(workspace);
  if (!isInside(root, real)) {
    throw new UserError(`${settings.file} is a link to ${real}, outside the workspace; the desired-state file must live in the repository.`);
  }
  return readFile(real);
}
