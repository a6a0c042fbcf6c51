/**
 * Unit tests of src/report-summary.ts beyond test/report.test.ts: the run's facts, the settings
 * that did not take, the request body's label, the drift file, and how the summary shrinks to fit
 * its byte limit.
 */
import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report-summary.js';
import { ACCOUNT_ID, feature, firehose, runReport } from './report-fixture.js';

/** The summary's facts list: its lines that start with "- **". */
const facts = (summary: string) => summary.split('\n').filter((line) => line.startsWith('- **'));

describe("the summary's facts", () => {
  it('are the account, the mode, the file and the API, one per line, in that order', () => {
    expect(facts(renderSummary(runReport()))).toEqual([
      `- **Account:** Acme, Inc. (<code>${ACCOUNT_ID}</code>)`,
      '- **Mode:** <code>plan</code>',
      '- **File:** <code>leadconduit-account.json</code>',
      '- **LeadConduit API:** <code>https://app.leadconduit.com</code>',
    ]);
  });

  it('leave out the account when none was read', () => {
    expect(facts(renderSummary(runReport({ account: undefined })))[0]).toBe('- **Mode:** <code>plan</code>');
  });

  it('say who triggered the run, with the run link and without a pull request when there is none', () => {
    const trigger = { actor: 'octo', event: 'push', commit: 'a'.repeat(40), runUrl: 'https://github.com/o/r/actions/runs/9' };
    expect(facts(renderSummary(runReport({ trigger })))).toContain(
      '- **Triggered by:** octo (push, commit <code>aaaaaaaaaaaa</code>, [run](https://github.com/o/r/actions/runs/9))',
    );
  });

  it('name an unknown actor as such', () => {
    const trigger = { actor: '', event: 'workflow_dispatch', commit: 'b'.repeat(40) };
    expect(facts(renderSummary(runReport({ trigger })))).toContain('- **Triggered by:** unknown (workflow&#95;dispatch, commit <code>bbbbbbbbbbbb</code>)');
  });
});

describe('the summary after an update that did not take', () => {
  it('tables each setting that does not match the file: expected and what the account has', () => {
    const summary = renderSummary(
      runReport({
        outcome: 'failed',
        mode: 'apply',
        bodySent: true,
        error: 'LeadConduit accepted the update, but 2 settings do not match.',
        mismatches: [
          { path: 'features.firehose', expected: true, actual: false },
          { path: 'data_retention_in_days', expected: 30, actual: null },
        ],
      }),
    );
    expect(summary).toContain(
      'Settings that do not match the file after the update:\n\n' +
        '| Setting | Expected | Account has |\n' +
        '| --- | --- | --- |\n' +
        '| <code>features.firehose</code> | <code>true</code> | <code>false</code> |\n' +
        '| <code>data&#95;retention&#95;in&#95;days</code> | <code>30</code> | <em>not set</em> |\n\n',
    );
  });
});

describe('the request body in the summary', () => {
  it('is labelled as sent after an apply', () => {
    const summary = renderSummary(runReport({ outcome: 'applied', mode: 'apply', bodySent: true, requestBody: { features: { firehose: true } } }));
    expect(summary).toContain('<details><summary>The request sent: PUT /account</summary>\n\n```json\n{\n  "features": {\n    "firehose": true\n  }\n}\n```');
    expect(summary).not.toContain('will send');
  });

  it('is left out when empty', () => {
    expect(renderSummary(runReport({ requestBody: {} }))).not.toContain('PUT /account');
  });
});

describe('the drift file', () => {
  it('is in the summary of a check that found drift, as JSON under the file name', () => {
    const driftFile = '{\n  "features": { "firehose": false }\n}\n';
    const summary = renderSummary(runReport({ outcome: 'drift', mode: 'check', changes: [firehose], driftFile }));
    expect(summary).toContain(
      '<details><summary>leadconduit-account.json updated with the live values</summary>\n\n```json\n{\n  "features": { "firehose": false }\n}\n```\n\n</details>',
    );
  });
});

describe('the summary holds no empty paragraph', () => {
  it.each([
    ['a plan', runReport()],
    ['an apply', runReport({ outcome: 'applied', mode: 'apply' })],
    ['no changes', runReport({ outcome: 'no-changes', changes: [] })],
    ['a failure', runReport({ outcome: 'failed', error: 'GET /account failed: 503.', changes: [] })],
  ])('%s', (_name, report) => {
    const summary = renderSummary(report);
    expect(summary).not.toMatch(/\n\n\n/);
    expect(summary.endsWith('\n')).toBe(true);
    expect(summary.endsWith('\n\n')).toBe(false);
  });

  it('has no change table when nothing changes', () => {
    expect(renderSummary(runReport({ outcome: 'no-changes', changes: [] }))).not.toContain('| Setting |');
  });
});

describe('the summary under its byte limit', () => {
  const big = runReport({
    changes: [{ ...firehose, before: 'x'.repeat(20_000) }],
    requestBody: { features: { firehose: true } },
    previousState: '{}\n',
  });
  const whole = renderSummary(big);

  it('is whole, with the request body and files, when it fits exactly', () => {
    expect(renderSummary(big, Buffer.byteLength(whole))).toBe(whole);
    expect(whole).toContain('x'.repeat(20_000));
    expect(whole).not.toContain('cut short');
  });

  it('cuts long values and leaves out the request body and files when it does not fit, and says so', () => {
    const cut = renderSummary(big, Buffer.byteLength(whole) - 1);
    expect(Buffer.byteLength(cut)).toBeLessThan(Buffer.byteLength(whole));
    expect(cut).not.toContain('x'.repeat(20_000));
    expect(cut).toContain(`<code>&#34;${'x'.repeat(10_000 - 2)}…</code>`);
    expect(cut).not.toContain('<details>');
    expect(
      cut.endsWith('\n\n<em>Long values are cut short here, and the request body and files are left out: they are too large for a job summary.</em>\n'),
    ).toBe(true);
    expect(cut.split('\n')[0]).toBe('### 📝 Plan: 1 change, 0 destructive');
  });

  it('is only the verdict and a pointer to the log when even cut values do not fit', () => {
    const many = runReport({ changes: Array.from({ length: 200 }, (_, i) => feature(`f${i}`)) });
    expect(renderSummary(many, 2_000)).toBe(
      "### 📝 Plan: 200 changes, 0 destructive\n\nThis run's report is too large for a job summary: see the run's log.\n",
    );
  });
});
