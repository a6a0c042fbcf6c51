/** leadconduit-account export: the live account's settings as a desired-state file, never a secret. */
import { lstat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ACCOUNT_ID_PATTERN } from '../account-schema.js';
import { UserError } from '../errors.js';
import { SCHEMA_URL } from '../schema-url.js';
import { plural } from '../wording.js';
import { NotRegularFileError, readRegularFile } from '../workspace.js';
import { EXIT, baseUrlOf, cliClient, describeFsError, suggestedCommand, type Context, type ExportOptions } from './context.js';
import { exportAccount } from './export.js';
import { readApiKey } from './settings.js';

export async function exportCommand(ctx: Context, file: string, options: ExportOptions): Promise<number> {
  const baseUrl = baseUrlOf(ctx, options);
  if (options.id !== undefined && !ACCOUNT_ID_PATTERN.test(options.id)) {
    throw new UserError(`--id must be the account's 24-character hexadecimal id (e.g. 5fd4371e940df5a34a3888b2), not "${options.id}".`);
  }
  const path = resolve(ctx.io.cwd, file);
  Object.assign(ctx.result, { file, baseUrl, written: false });
  let existing: Uint8Array | undefined;
  try {
    const stats = await lstat(path);
    if (stats.isDirectory()) throw new UserError(`${file} is a directory; name the desired-state file to write.`);
    if (options.force !== true) throw new UserError(`${file} already exists; nothing was written. Re-run with --force to overwrite it.`);
    // Read only for its "$schema", and only as much as a desired-state file may hold: a named pipe
    // (or a link to one) would wait for a writer for ever, a device such as /dev/zero never ends.
    existing = readRegularFile(path, file).bytes;
  } catch (error) {
    if (error instanceof NotRegularFileError) {
      throw new UserError(
        `${file} is ${error.kind}, not a regular file; nothing was written. export --force overwrites only a regular file: remove it, or name another file to write.`,
      );
    }
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`Could not write ${file}: ${describeFsError(error)}.`);
    // Found out before reading the account, not after.
    const folder = await lstat(dirname(path)).catch(() => undefined);
    if (!folder?.isDirectory()) throw new UserError(`Could not write ${file}: its folder does not exist.`);
  }
  ctx.redactor.add(readApiKey(ctx.io.env, 'export'));

  const { account: live, via } = await cliClient(ctx, options).readAccount(options.id);
  ctx.result.account = { id: live.id, name: live.name ?? null };
  ctx.result.via = via;

  const schemaRef = options.schema ?? keptSchema(existing) ?? SCHEMA_URL;
  const exported = exportAccount(live, schemaRef, file, options.includeTimestamps === true, (text) => ctx.redactor.scrub(text));
  // Only writable fields are picked, and secrets are dropped on arrival; this is the last guard.
  if (ctx.redactor.scrub(exported.text) !== exported.text) {
    throw new Error('the exported file would contain a secret (the API key or an account credential); nothing was written');
  }
  try {
    await writeFile(path, exported.text, { flag: options.force === true ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UserError(`${file} already exists; nothing was written. Re-run with --force to overwrite it.`);
    throw new UserError(`Could not write ${file}: ${describeFsError(error)}.`);
  }
  Object.assign(ctx.result, { written: true, settings: exported.settings, skipped: exported.skipped, schema: schemaRef });
  if (ctx.out.json) ctx.out.emit({ ...ctx.result, ok: true });
  for (const skip of exported.skipped) ctx.out.warn(`${skip.path} was not exported: ${skip.reason}.`);
  if (options.includeTimestamps === true) {
    ctx.out.warn(
      'the subscription timestamps were written as asked: LeadConduit sets them itself, so plans will show them as drift after the next change. Remove them to stop managing them.',
    );
  }
  ctx.out.line(
    ctx.out.paint('green', '✓'),
    ` Wrote ${file}: ${plural(exported.settings, 'setting')} of account ${live.name ?? '(no name)'} (${live.id}), read with ${via}.`,
  );
  ctx.out.line(`Every setting in it is now managed; remove the ones you do not want to manage, then check with: ${suggestedCommand('plan', file)}`);
  return EXIT.ok;
}

/** The "$schema" of the file being overwritten, kept when it has one. */
function keptSchema(existing: Uint8Array | undefined): string | undefined {
  if (existing === undefined) return undefined;
  try {
    const value = (JSON.parse(Buffer.from(existing).toString('utf8')) as { $schema?: unknown }).$schema;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
