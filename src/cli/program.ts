import { Command, CommanderError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { UserError, getErrorMessage } from '../errors.js';
import { DEFAULT_BASE_URL } from '../base-url.js';
import { DEFAULT_FILE } from '../inputs.js';
import { InvalidFileError } from '../steps.js';
import { SCHEMA_URL } from '../schema-url.js';
import { applyCommand, planCommand, validateCommand } from './commands.js';
import { CLI_NAME, Context, EXIT, suggestedCommand, type ApplyOptions, type CommonOptions, type ExportOptions, type NetworkOptions } from './context.js';
import { exportCommand } from './export-command.js';
import { API_KEY_VARIABLE } from './settings.js';
import { painter, processIo, type Io } from './terminal.js';

const ENVIRONMENT_HELP = `
Environment:
  ${API_KEY_VARIABLE}  the LeadConduit API key (plan, apply, export); never taken as a flag
  NO_COLOR             set to turn colours off (colours are only used on a terminal)`;

const EXIT_HELP = `
Exit codes:
  0  success (plan: no changes)
  1  failure, an invalid file, or a refusal (nothing was sent)
  2  plan only: the live account differs from the file`;

/** Where to read the usage after a mistake: a command line that runs as written. */
const usageHint = (command: string) => `(run "${suggestedCommand(`${command} --help`.trim())}" for usage)`;

/**
 * Runs the leadconduit-account command line and answers its exit code. Never exits the process
 * itself, so every line written has been flushed when it ends.
 */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const paintErr = painter(io.stderr, io.env);
  const run = async (command: string, options: CommonOptions, work: (ctx: Context) => Promise<number>): Promise<void> => {
    exitCode = await execute(io, command, options.json === true, work);
  };

  const program = new Command(CLI_NAME)
    .description(
      "Keep a LeadConduit account's settings as code, from your terminal: the same checks, plan and apply as the leadconduit-account-action GitHub Action.",
    )
    .version(packageJson.version, '-V, --version', 'show the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error:/, paintErr(['bold', 'red'], 'error:'))),
    })
    .showHelpAfterError(usageHint(''))
    .exitOverride()
    .addHelpText('after', `${ENVIRONMENT_HELP}\n${EXIT_HELP}\n\nStart with "${suggestedCommand('export')}" to write the live settings to ${DEFAULT_FILE}.`);

  // Each command's own help is named after its mistakes, so the hint runs as written.
  const fileArgument = (command: Command) => command.argument('[file]', 'the desired-state file', DEFAULT_FILE).showHelpAfterError(usageHint(command.name()));
  const jsonOption = () => new Option('--json', 'print one JSON object on stdout instead of text (for scripts)');
  const networkOptions = (command: Command) =>
    command
      .addOption(jsonOption())
      .option('--base-url <url>', `LeadConduit API base URL: https, or plain http for localhost only (default: "${DEFAULT_BASE_URL}")`)
      .option('--verbose', 'log each request to LeadConduit on stderr');

  fileArgument(program.command('validate'))
    .description('Check the desired-state file against the schema. Reads no account: needs no API key and no network.')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `\nEach problem is printed as file:line:column  message.\n\nExit codes:\n  0  the file is valid\n  1  the file has problems (or cannot be read)`,
    )
    .action((file: string, options: CommonOptions) => run('validate', options, (ctx) => validateCommand(ctx, file)));

  networkOptions(fileArgument(program.command('plan')))
    .description(
      "Read the live account and show what apply would change: each setting's live and desired value, with warnings for destructive changes. Changes nothing.",
    )
    .addHelpText('after', `${ENVIRONMENT_HELP}\n${EXIT_HELP}`)
    .action((file: string, options: NetworkOptions) => run('plan', options, (ctx) => planCommand(ctx, file, options)));

  networkOptions(fileArgument(program.command('apply')))
    .description('Show the plan, ask for confirmation, then send the changes in one PUT /account and check that the account now matches the file.')
    .option('--allow-destructive', 'allow lowering data_retention_in_days or changing data_truncated_at (both can permanently delete lead data)')
    .option('-y, --yes', 'apply without asking; needed when there is no terminal to ask on (CI, pipes)')
    .addHelpText(
      'after',
      `${ENVIRONMENT_HELP}\n\nExit codes:\n  0  applied, or nothing to apply\n  1  failure, an invalid file, or a refusal: destructive changes without --allow-destructive,\n     no --yes without a terminal, or a "no" at the prompt (nothing was sent)`,
    )
    .action((file: string, options: ApplyOptions) => run('apply', options, (ctx) => applyCommand(ctx, file, options)));

  networkOptions(fileArgument(program.command('export')))
    .description(
      "Read the live account and write a desired-state file holding every setting a person manages (retention, truncation, features, each subscription's state and product offering component) and the account id. Never writes a secret, nor (unless --include-timestamps) the timestamps LeadConduit keeps itself.",
    )
    .option('-f, --force', 'overwrite the file when it exists')
    .option('--id <account-id>', "which account to export when the API key's user has several")
    .option('--schema <ref>', `the file's "$schema" (default: ${SCHEMA_URL}, the schema released with this version; on --force, the overwritten file's own)`)
    .option(
      '--include-timestamps',
      "also write each subscription's created_at, updated_at, active_at and inactive_at (LeadConduit sets them itself: a file that keeps them shows drift after the next change)",
    )
    .addHelpText(
      'after',
      `${ENVIRONMENT_HELP}\n\nExit codes:\n  0  the file was written\n  1  failure, or the file exists and --force was not given (nothing was written)`,
    )
    .action((file: string, options: ExportOptions) => run('export', options, (ctx) => exportCommand(ctx, file, options)));

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}

/** A command's run: a user error is one line (no stack trace); anything else is a bug and says so. */
async function execute(io: Io, command: string, json: boolean, work: (ctx: Context) => Promise<number>): Promise<number> {
  const ctx = new Context(io, command, json);
  try {
    return await work(ctx);
  } catch (error) {
    const user = error instanceof UserError;
    let message = user ? error.message : `Unexpected error (a bug in ${CLI_NAME}, please report it): ${getErrorMessage(error)}`;
    if (error instanceof InvalidFileError) message += `${command === 'validate' ? '' : '; nothing was sent'}.`;
    if (json) {
      ctx.out.emit({ ...ctx.result, ok: false, error: message, ...(user && error.details.length > 0 ? { details: error.details } : {}) });
    }
    // The problems of an invalid file were printed one per line already; this is their count.
    if (user && !(error instanceof InvalidFileError) && error.details.length > 0 && error.verdict) {
      // A message that lists its details: the verdict, the details one per line, then what to do (each said once).
      ctx.out.error(`${error.verdict.reason}:`);
      for (const detail of error.details) ctx.out.note(`  ${detail}`);
      if (error.verdict.detail) ctx.out.note(error.verdict.detail);
    } else {
      ctx.out.error(message);
      if (user && !(error instanceof InvalidFileError)) for (const detail of error.details) ctx.out.note(`  ${detail}`);
    }
    if (!user && error instanceof Error && error.stack) for (const line of error.stack.split('\n')) ctx.out.note(ctx.out.paint('dim', line));
    return EXIT.failed;
  }
}
