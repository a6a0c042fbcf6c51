/** The run report the unit tests of report*.ts start from: a plan of two changes, one destructive. */
import type { Change } from '../../src/plan.js';
import type { RunReport } from '../../src/report.js';

export const retention: Change = {
  path: 'data_retention_in_days',
  before: 365,
  after: 30,
  destructive: true,
  warning: 'lowers data retention from 365 to 30 days: lead events older than 30 days are permanently deleted',
};
export const firehose: Change = { path: 'features.firehose', before: false, after: true, destructive: false };
export const ACCOUNT_ID = '5fd4371e940df5a34a3888b2';
export const FILE = 'leadconduit-account.json';

export function runReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    outcome: 'planned',
    mode: 'plan',
    file: FILE,
    baseUrl: 'https://app.leadconduit.com',
    account: { id: ACCOUNT_ID, name: 'Acme, Inc.' },
    changes: [retention, firehose],
    notes: [],
    ...overrides,
  };
}

/** A feature change, for plans of many changes. */
export function feature(name: string, destructive = false): Change {
  return { path: `features.${name}`, before: false, after: true, destructive, ...(destructive ? { warning: `turns ${name} off` } : {}) };
}
