/**
 * Issue "Bad input": every broken desired-state file in test/fixtures/invalid is (a) reported by
 * parseDesiredState with exactly the expected problems, lines and columns, and (b) stops a real
 * run, as the runner starts it, before anything is sent: exit 1, one annotation on each problem's
 * line and column, each problem in the job summary, and no request reaching LeadConduit or GitHub.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDesiredState, type Problem } from '../src/desired-state.js';
import { caseBytes, INVALID_CASES, INVALID_DIR, type ExpectedProblem, type InvalidCase } from './fixtures/invalid/cases.js';
import { PR_NUMBER, runInProcess, type ActionRun } from './support/action-env.js';
import { recordedChanges } from './support/records.js';
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.js';
import { startFakeLeadConduit, type FakeLeadConduit } from './support/fake-leadconduit.js';
import { TEST_API_KEY } from './support/sample-account.js';

const FILE = 'leadconduit-account.json';
const VALID_DIR = join(INVALID_DIR, '..', 'valid');

let leadconduit: FakeLeadConduit;
let github: FakeGitHub;

beforeAll(async () => {
  [leadconduit, github] = await Promise.all([startFakeLeadConduit(), startFakeGitHub()]);
});
afterAll(async () => {
  expect(github.violations, "requests that stray from GitHub's REST description").toEqual([]);
  await Promise.all([leadconduit.close(), github.close()]);
});
beforeEach(() => {
  leadconduit.requests.splice(0);
  github.requests.splice(0);
  github.comments.splice(0);
});

/** A pull request run against the fakes: plan mode, which reads the account and comments. */
function runOnPullRequest(file: Buffer): Promise<ActionRun> {
  return runInProcess({ file, fileName: FILE, event: 'pull_request', leadconduitUrl: leadconduit.url, githubUrl: github.url });
}

function matches(actual: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? actual.includes(expected) : expected.test(actual);
}

/** "line:column" of each problem, to compare where problems are before what they say. */
function positions(problems: readonly (ExpectedProblem | Problem)[]): string[] {
  return problems.map((p) => `${p.line}:${p.column}`);
}

/** The ::error annotations a run printed, as the runner reads them. */
function errorAnnotations(stdout: string): Array<{ props: Record<string, string>; message: string }> {
  const unescape = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('::error'))
    .map((line) => {
      const match = /^::error(?: ([^:]*))?::(.*)$/.exec(line) ?? [];
      const props = Object.fromEntries(
        (match[1] ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => {
            const at = pair.indexOf('=');
            return [pair.slice(0, at), unescape(pair.slice(at + 1))];
          }),
      );
      return { props, message: unescape(match[2] ?? '') };
    });
}

/** The job summary as a reader sees it: Markdown with its HTML entities decoded. */
function readableSummary(summary: string): string {
  return summary
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\u200D/g, '');
}

describe('the invalid corpus', () => {
  it('lists every file in test/fixtures/invalid once, and has at least 45 cases', async () => {
    const files = (await readdir(INVALID_DIR)).filter((name) => name.endsWith('.json')).sort();
    const committed = INVALID_CASES.filter((c) => !c.generate).map((c) => c.name);
    expect([...committed].sort()).toEqual(files);
    expect(new Set(INVALID_CASES.map((c) => c.name)).size).toBe(INVALID_CASES.length);
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(45);
    for (const c of INVALID_CASES) {
      expect(c.problems.length, c.name).toBeGreaterThan(0);
      const order = c.problems.map((p) => p.line * 100_000 + p.column);
      expect(order, `${c.name}: problems in file order`).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('still holds the bytes an editor or git would "fix"', async () => {
    const bytes = async (name: string) => readFile(join(INVALID_DIR, name));
    expect((await bytes('empty.json')).length).toBe(0);
    expect([...(await bytes('bom.json')).subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x7b]);
    expect([...(await bytes('utf16le.json')).subarray(0, 4)]).toEqual([0xff, 0xfe, 0x7b, 0x00]);
    const cp1252 = await bytes('windows-1252.json');
    expect(cp1252.includes(0xe9)).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(cp1252)).toThrow();
    expect((await bytes('control-character.json')).toString('utf8')).toContain('active\t"');
    expect((await bytes('crlf-trailing-comma.json')).toString('utf8')).toContain(',\r\n  }\r\n');
    expect((await bytes('smart-quotes.json')).toString('utf8')).toContain('\u201cdata_retention_in_days\u201d');
    expect((await bytes('invalid-escape.json')).toString('utf8')).toContain('"C:\\schemas');
  });

  it('generates a 10 MB file and a file nested thousands deep', async () => {
    const big = INVALID_CASES.find((c) => c.name === 'too-big.json');
    const deep = INVALID_CASES.find((c) => c.name === 'deeply-nested.json');
    expect((await caseBytes(big!)).length).toBe(10 * 1024 * 1024);
    expect((await caseBytes(deep!)).toString('utf8')).toMatch(/^\[{5000}1\]{5000}\n$/);
  });
});

describe('each invalid file', () => {
  it.each(INVALID_CASES.map((c) => [c.name, c] as [string, InvalidCase]))('%s', async (_name, c) => {
    const bytes = await caseBytes(c);

    // (a) The parser: exactly these problems, in this order, at these lines and columns.
    const parsed = parseDesiredState(bytes, FILE);
    expect(parsed.ok, 'the file must be rejected').toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(positions(problems), problems.map((p) => p.message).join('\n')).toEqual(positions(c.problems));
    c.problems.forEach((expected, i) => {
      const actual = problems[i]!;
      expect(matches(actual.message, expected.message), `problem ${i + 1}: ${actual.message}\n  should match ${String(expected.message)}`).toBe(true);
      if (expected.path !== undefined) expect(actual.path).toBe(expected.path);
    });

    // (b) A real run on a pull request: stopped before anything is sent.
    const run = await runOnPullRequest(bytes);
    try {
      expect(run.exitCode).toBe(1);

      const annotations = errorAnnotations(run.stdout);
      const onFile = annotations.filter((a) => a.props.file === FILE);
      expect(onFile.map((a) => `${a.props.line}:${a.props.col}`)).toEqual(positions(c.problems));
      c.problems.forEach((expected, i) => {
        expect(run.stdout).toContain(`file=${FILE},line=${expected.line},col=${expected.column}::`);
        expect(matches(onFile[i]!.message, expected.message), `annotation ${i + 1}: ${onFile[i]!.message}`).toBe(true);
      });
      const count = c.problems.length;
      const failure = annotations.filter((a) => a.props.file === undefined).map((a) => a.message);
      expect(failure).toEqual([`${FILE} has ${count} problem${count === 1 ? '' : 's'} (each is annotated on its line); nothing was sent.`]);

      const summary = readableSummary(run.summary);
      expect(summary).toMatch(new RegExp(`Invalid.*${count} problems? in ${FILE.replace(/\./g, '\\.')}`));
      const summaryLines = summary.split('\n');
      c.problems.forEach((expected, i) => {
        const line = summaryLines.find((l) => l.includes(`${FILE}:${expected.line}:${expected.column}`));
        expect(line, `summary line for ${expected.line}:${expected.column}`).toBeDefined();
        expect(line).toContain(problems[i]!.message);
        expect(matches(line!, expected.message)).toBe(true);
      });

      expect(leadconduit.requests, 'requests to LeadConduit').toEqual([]);
      // On GitHub only the pull request's comment, now saying the file is invalid and recording no plan
      // (posted, then signed for the login GitHub gave it).
      expect(new Set(github.requests.map((r) => r.route)), 'requests to GitHub').toEqual(new Set(['GET comments', 'POST comment', 'PATCH comment']));
      const [comment, ...more] = github.commentsOf(PR_NUMBER);
      expect(more).toEqual([]);
      expect(recordedChanges(comment?.body ?? '')).toBeNull();
      expect(readableSummary(comment?.body ?? '')).toMatch(new RegExp(`^### ❌ Invalid: ${count} problems? in ${FILE.replace(/\./g, '\\.')}$`, 'm'));
      expect(run.outputs).toMatchObject({ changed: 'false', 'change-count': '0', applied: 'false', 'comment-url': comment?.html_url });

      expect(run.stdout).not.toContain('    at ');
      expect(run.stdout).not.toContain('Unexpected error');
      expect(run.everything).not.toContain(TEST_API_KEY);
      if (c.secret) expect(run.everything).not.toContain(c.secret);
    } finally {
      await run.cleanup();
    }
  });
});

describe('the same run with a valid file (the control)', () => {
  it('reaches LeadConduit, so "zero requests" above means the file stopped the run', async () => {
    const run = await runOnPullRequest(await readFile(join(VALID_DIR, 'retention-only.json')));
    try {
      expect(run.exitCode).toBe(0);
      expect(errorAnnotations(run.stdout)).toEqual([]);
      expect(leadconduit.requests.length).toBeGreaterThan(0);
    } finally {
      await run.cleanup();
    }
  });
});
