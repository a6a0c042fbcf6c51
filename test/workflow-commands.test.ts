/**
 * src/workflow-commands.ts reaches into @actions/core's internals (its leaf modules, by file path)
 * so that the start of a run does not load undici. An upgrade of @actions/core that moves or
 * changes those internals must fail here, loudly: the same calls through our module and through
 * the package's public entry point must write the same bytes to stdout, GITHUB_OUTPUT and the
 * job summary, and set the same exit code.
 */
import * as barrel from '@actions/core';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { Log } from '../src/log.js';
import { Redactor } from '../src/redact.js';
import * as ours from '../src/workflow-commands.js';

/** Our module's functions (the entry point's functions of the same names fit them too), and the summary. */
type Commands = Omit<typeof ours, 'AnnotationProperties'> & {
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void> | void;
};

const viaOurs: Commands = { ...ours, summary: (markdown) => new Log(new Redactor(() => {})).summary(markdown) };
// Log ends each part of the summary with a newline, as addRaw(text, true) does for a text without one.
const viaBarrel: Commands = { ...barrel, summary: async (markdown) => void (await barrel.summary.addRaw(markdown, !markdown.endsWith('\n')).write()) };

/** Every kind of call the action makes, with the characters the commands must escape. */
async function script(c: Commands, withSummary: boolean): Promise<void> {
  c.info('Plan for leadconduit-account.json: 2 settings differ');
  c.info('100% sure: a, b\r\nsecond line :: ::error::not a command');
  c.info('');
  c.debug('GET /account attempt 1 failed (socket hang up); retrying in 250 ms\n%0A');
  c.notice('validate-only: no api-key');
  c.notice('A notice with every property', { title: 'Title: a, b %', file: 'settings/leadconduit-account.json', startLine: 3, startColumn: 7 });
  c.warning('a warning\r\n', { title: 'only a title' });
  c.warning('features.firehose: unknown key', { file: 'a,b:c.json', startLine: 12 });
  c.error('data_retention_in_days must be at least 1, not 0', { file: 'x.json', startLine: 0, startColumn: 0 });
  c.error('Ünïcödé ✓ and\ttabs');
  c.setSecret('lc-secret%value\n');
  c.startGroup('Plan: 2 changes, 100%');
  c.info(`debug logging: ${String(c.isDebug())}`);
  c.endGroup();
  c.setOutput('changed', 'true');
  c.setOutput('changes', '[{"path":"features.firehose","before":false,"after":true}]\nline 2\r\n');
  c.setOutput('comment-url', '');
  c.setFailed('The file has 3 problems\nsee the annotations');
  if (!withSummary) return;
  await c.summary('### Plan\n\n| setting | live | file |\n| --- | --- | --- |\n| `a` | 1 | 2 |\n');
  await c.summary('no newline at the end');
}

interface Written {
  stdout: string;
  output: string;
  summary: string;
  exitCode: number | string | undefined;
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'workflow-commands-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * Runs the script with stdout captured and emptied GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files (none
 * when `files` is false). Each side keeps its file names: core.summary keeps the path it first wrote to.
 */
async function run(commands: Commands, env: Record<string, string>, files = true): Promise<Written> {
  const side = commands === viaOurs ? 'ours' : 'barrel';
  const output = join(dir, `${side}-output`);
  const summary = join(dir, `${side}-summary.md`);
  await writeFile(output, '');
  await writeFile(summary, '');
  const saved = { env: process.env, write: process.stdout.write.bind(process.stdout), exitCode: process.exitCode };
  let stdout = '';
  process.env = { ...env, ...(files ? { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary } : {}) };
  process.exitCode = undefined;
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  try {
    await script(commands, files);
    return {
      stdout,
      // The only difference allowed: each output's random delimiter (ghadelimiter_<UUID>).
      output: (await readFile(output, 'utf8')).replace(/ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ghadelimiter_UUID'),
      summary: await readFile(summary, 'utf8'),
      exitCode: process.exitCode,
    };
  } finally {
    process.stdout.write = saved.write;
    process.env = saved.env;
    process.exitCode = saved.exitCode;
  }
}

describe('workflow commands through @actions/core leaf modules', () => {
  it('write exactly what the package entry point writes: stdout, GITHUB_OUTPUT, summary, exit code', async () => {
    const env = { PATH: process.env.PATH ?? '' };
    const [mine, theirs] = [await run(viaOurs, env), await run(viaBarrel, env)];
    expect(mine).toEqual(theirs);
    // The comparison saw every channel: nothing here is trivially empty.
    expect(mine.stdout).toContain('::error file=x.json::data_retention_in_days');
    expect(mine.output.match(/<<ghadelimiter_UUID/g)).toHaveLength(3);
    expect(mine.summary).toContain('| `a` | 1 | 2 |');
    expect(mine.exitCode).toBe(1);
  });

  it('match with debug logging on (RUNNER_DEBUG=1)', async () => {
    const env = { PATH: process.env.PATH ?? '', RUNNER_DEBUG: '1' };
    const mine = await run(viaOurs, env);
    expect(mine).toEqual(await run(viaBarrel, env));
    expect(mine.stdout).toContain('debug logging: true');
  });

  it('match without GITHUB_OUTPUT (outputs as ::set-output commands)', async () => {
    const env = { PATH: process.env.PATH ?? '' };
    const [mine, theirs] = [await run(viaOurs, env, false), await run(viaBarrel, env, false)];
    expect(mine).toEqual(theirs);
    expect(mine.stdout).toContain('::set-output name=changed::true');
    expect(mine.output).toBe('');
  });

  it('@actions/core is pinned to the exact version installed, so an upgrade is a reviewed change', async () => {
    const installed = JSON.parse(await readFile(join(import.meta.dirname, '../node_modules/@actions/core/package.json'), 'utf8')) as { version: string };
    expect(pkg.devDependencies['@actions/core']).toBe(installed.version);
  });
});
