/**
 * Property tests of the plan → PUT → verify cycle, for random live accounts and random valid
 * desired-state files, under both ways a server may treat nested objects (merge or replace):
 *   - pure: planChanges/buildAccountUpdate against a pure model of PUT /account;
 *   - end to end: the whole action in-process (runInProcess) against the fake LeadConduit.
 *
 * The expectations use their own oracle (leaf paths, instants via Date.parse, destructive rules)
 * rather than plan.ts's helpers, so a bug in those helpers cannot hide itself.
 *
 * Run counts: PROPERTY_RUNS (pure, default 200) and PROPERTY_E2E_RUNS (end to end, default 60);
 * FC_SEED replays a failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FEATURE_NAMES,
  READ_ONLY_FIELDS,
  SECRET_FIELDS,
  SUBSCRIPTION_MANAGED_FIELDS,
  SUBSCRIPTION_NAMES,
  SUBSCRIPTION_READ_ONLY_FIELDS,
  SUBSCRIPTION_TIMESTAMP_FIELDS,
  WRITABLE_FIELDS,
  desiredStateSchema,
  liveAccountSchema,
  liveObject,
  type AccountUpdate,
  type DesiredState,
  type LiveAccount,
} from '../src/account-schema.js';
import { parseDesiredState } from '../src/desired-state.js';
import { classifyChanges, planChanges, previousState, sameValue, verifyAccount, type Change } from '../src/plan.js';
import { buildAccountUpdate } from '../src/request-body.js';
import { FAST_TUNING, runInProcess, type ActionRun, type ActionSetup } from './support/action-env.js';
import { dateFormArb, desiredStateArb, formatInstant, instantArb, liveAccountArb, scenarioArb, type Scenario } from './support/arbitraries.js';
import { startFakeLeadConduit, type FakeLeadConduit } from './support/fake-leadconduit.js';

const PURE_RUNS = positiveInt(process.env.PROPERTY_RUNS, 200);
const E2E_RUNS = positiveInt(process.env.PROPERTY_E2E_RUNS, 60);
const SEED = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number.parseInt(raw ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

type Nested = 'merge' | 'replace';
const NESTED: readonly Nested[] = ['merge', 'replace'];

/** Property runs executed (each call of a property's predicate), by kind. */
const executed = { pure: 0, e2e: 0 };
const started = performance.now();
/** How often the scenario generator hits each interesting case (filled by the coverage test). */
const generatorCoverage: Record<string, number> = {};

afterAll(() => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `[properties] ${executed.pure + executed.e2e} property runs executed in ${seconds} s: ${executed.pure} pure (numRuns ${PURE_RUNS} per property), ${executed.e2e} end-to-end (numRuns ${E2E_RUNS} per property, each 3-4 in-process action runs)`,
  );
  const coverage = Object.entries(generatorCoverage).map(([name, share]) => `${name} ${(share * 100).toFixed(0)}%`);
  if (coverage.length > 0) console.log(`[properties] scenario generator coverage (1000 samples): ${coverage.join(', ')}`);
});

// ---------------------------------------------------------------------------------------------
// The oracle: independent of plan.ts

type Path = readonly string[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a path; absent and null are the same ("not set"). */
function at(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (!isObj(current)) return null;
    current = current[key];
  }
  return current ?? null;
}

const isDatePath = (path: Path) => path.length === 1 && path[0] === 'data_truncated_at';

/** Equal as a setting: date-times as instants, everything else exactly. */
function equalSetting(path: Path, a: unknown, b: unknown): boolean {
  if (isDatePath(path) && typeof a === 'string' && typeof b === 'string') {
    const left = Date.parse(a);
    return !Number.isNaN(left) && left === Date.parse(b);
  }
  return a === b;
}

/** The leaf paths a desired-state file manages. */
function leaves(desired: object): Array<{ path: string[]; value: unknown }> {
  const out: Array<{ path: string[]; value: unknown }> = [];
  const walk = (value: unknown, path: string[]) => {
    if (isObj(value)) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    else out.push({ path, value });
  };
  for (const [key, value] of Object.entries(desired)) if (key !== '$schema' && key !== 'id') walk(value, [key]);
  return out;
}

interface ExpectedChange {
  path: string;
  before: unknown;
  after: unknown;
  destructive: boolean;
}

function expectedChanges(desired: object, live: unknown): ExpectedChange[] {
  return leaves(desired)
    .filter(({ path, value }) => !equalSetting(path, at(live, path), value))
    .map(({ path, value }) => {
      const before = at(live, path);
      const key = path.join('.');
      const destructive = key === 'data_truncated_at' || (key === 'data_retention_in_days' && (typeof before !== 'number' || (value as number) < before));
      return { path: key, before, after: value, destructive };
    });
}

/** Every writable path either account could hold. */
function writablePaths(...accounts: unknown[]): string[][] {
  const paths: string[][] = [['data_retention_in_days'], ['data_truncated_at']];
  const features = new Set<string>(FEATURE_NAMES);
  const subscriptions = new Set<string>(SUBSCRIPTION_NAMES);
  for (const account of accounts) {
    for (const key of Object.keys((at(account, ['features']) as Obj | null) ?? {})) features.add(key);
    for (const key of Object.keys((at(account, ['subscriptions']) as Obj | null) ?? {})) subscriptions.add(key);
  }
  for (const name of features) paths.push(['features', name]);
  for (const name of subscriptions) for (const field of SUBSCRIPTION_MANAGED_FIELDS) paths.push(['subscriptions', name, field]);
  return paths;
}

const sorted = (values: Iterable<string>) => [...values].sort();

/**
 * After applying `desired` to `before`: every managed path equals the file (instants for
 * date-times), every unmanaged writable path and every read-only field is as it was, and no
 * nested object appeared or vanished except for what the file sets.
 */
function expectConverged(desired: object, before: Obj, after: Obj): void {
  const managed = leaves(desired);
  const managedKeys = new Set(managed.map(({ path }) => path.join('.')));
  for (const { path, value } of managed) {
    const actual = at(after, path);
    if (isDatePath(path)) {
      expect(typeof actual, `${path.join('.')} is a date-time string`).toBe('string');
      expect(Date.parse(actual as string), `${path.join('.')} is the file's instant`).toBe(Date.parse(value as string));
    } else {
      expect(actual, `${path.join('.')} equals the file`).toEqual(value);
    }
  }
  for (const path of writablePaths(before, after)) {
    if (managedKeys.has(path.join('.'))) continue;
    expect(at(after, path), `unmanaged ${path.join('.')} keeps its value`).toEqual(at(before, path));
  }
  for (const key of Object.keys(before)) {
    if ((WRITABLE_FIELDS as readonly string[]).includes(key)) continue;
    expect(after[key], `read-only ${key} is unchanged`).toEqual(before[key]);
  }
  for (const [name, entry] of Object.entries((at(before, ['subscriptions']) as Obj | null) ?? {})) {
    for (const field of SUBSCRIPTION_READ_ONLY_FIELDS) {
      expect(at(after, ['subscriptions', name, field]), `subscriptions.${name}.${field} is unchanged`).toEqual(at(entry, [field]));
    }
  }
  const managedSubscriptions = managed.filter(({ path }) => path[0] === 'subscriptions').map(({ path }) => path[1] ?? '');
  expect(sorted(Object.keys((at(after, ['subscriptions']) as Obj | null) ?? {})), 'subscriptions present afterwards').toEqual(
    sorted(new Set([...Object.keys((at(before, ['subscriptions']) as Obj | null) ?? {}), ...managedSubscriptions])),
  );
  const managedFeatures = managed.filter(({ path }) => path[0] === 'features').map(({ path }) => path[1] ?? '');
  expect(sorted(Object.keys((at(after, ['features']) as Obj | null) ?? {})), 'feature keys present afterwards').toEqual(
    sorted(new Set([...Object.keys((at(before, ['features']) as Obj | null) ?? {}), ...managedFeatures])),
  );
}

// ---------------------------------------------------------------------------------------------
// A pure model of PUT /account

/** The instant the model and the fakes stamp subscriptions with. */
const NOW = '2030-05-06T07:08:09.000Z';

/**
 * 'merge': features shallow-merged into the old object, each sent subscription shallow-merged
 * into the old one, other subscriptions kept. 'replace': features and subscriptions replaced
 * wholesale; each sent subscription keeps only what the server owns (its read-only id and
 * product_offering_id, and its timestamps).
 * Either way the server keeps the timestamps: a request's values for them are dropped; a new
 * subscription is created NOW, a changed one updated NOW, and a state change activates
 * (active_at) or deactivates (inactive_at) it NOW.
 */
function putModel(account: Obj, body: AccountUpdate, nested: Nested): Obj {
  const next = structuredClone(account);
  const owned = [...SUBSCRIPTION_READ_ONLY_FIELDS, ...SUBSCRIPTION_TIMESTAMP_FIELDS] as string[];
  for (const [key, value] of Object.entries(body) as Array<[string, unknown]>) {
    if (key === 'features') {
      next.features = nested === 'merge' ? { ...(isObj(account.features) ? account.features : {}), ...(value as Obj) } : { ...(value as Obj) };
    } else if (key === 'subscriptions') {
      const old = isObj(account.subscriptions) ? account.subscriptions : {};
      const subs: Obj = nested === 'merge' ? structuredClone(old) : {};
      for (const [name, sent] of Object.entries(value as Record<string, Obj>)) {
        const entry = Object.fromEntries(Object.entries(sent).filter(([field]) => !(SUBSCRIPTION_TIMESTAMP_FIELDS as readonly string[]).includes(field)));
        const oldEntry = isObj(old[name]) ? old[name] : {};
        if (nested === 'merge') subs[name] = { ...structuredClone(oldEntry), ...entry };
        else subs[name] = { ...entry, ...Object.fromEntries(owned.filter((f) => f in oldEntry).map((f) => [f, oldEntry[f]])) };
      }
      for (const [name, entry] of Object.entries(subs)) {
        const was = old[name];
        if (!isObj(entry)) continue;
        if (!isObj(was)) {
          Object.assign(entry, { created_at: NOW, updated_at: NOW, active_at: null, inactive_at: null });
          if (entry.state === 'active') entry.active_at = NOW;
          else if (entry.state !== undefined && entry.state !== null) entry.inactive_at = NOW;
          continue;
        }
        const fields = new Set([...Object.keys(was), ...Object.keys(entry)].filter((f) => !owned.includes(f)));
        if ([...fields].every((f) => JSON.stringify(was[f] ?? null) === JSON.stringify(entry[f] ?? null))) continue; // null and absent: not set
        entry.updated_at = NOW;
        if ((was.state ?? null) !== (entry.state ?? null)) {
          if (entry.state === 'active') entry.active_at = NOW;
          else if (entry.state !== undefined && entry.state !== null) entry.inactive_at = NOW;
        }
      }
      next.subscriptions = subs;
    } else {
      next[key] = structuredClone(value);
    }
  }
  return next;
}

/** The account as the action sees it: validated by the live schema, secrets dropped. */
function liveView(account: unknown): LiveAccount {
  const parsed: Obj = { ...liveAccountSchema.parse(structuredClone(account)) };
  for (const field of SECRET_FIELDS) delete parsed[field];
  return parsed as LiveAccount;
}

/** One apply in the model: plan, build the body, PUT (only when something changes). */
function applyModel(desired: DesiredState, account: Obj, nested: Nested): { changes: Change[]; body: AccountUpdate; after: Obj } {
  const live = liveView(account);
  const changes = planChanges(desired, live);
  const body = buildAccountUpdate(desired, live, changes);
  return { changes, body, after: changes.length > 0 ? putModel(account, body, nested) : account };
}

const run = <T>(arb: fc.Arbitrary<T>, predicate: (value: T) => void, numRuns = PURE_RUNS) =>
  fc.assert(
    fc.property(arb, (value) => {
      executed.pure++;
      predicate(value);
    }),
    { numRuns, ...SEED },
  );

// ---------------------------------------------------------------------------------------------

describe('generators', () => {
  it('make valid desired-state files and live accounts', () => {
    run(scenarioArb, ({ live, desired }) => {
      const parsed = parseDesiredState(Buffer.from(JSON.stringify(desired, null, 2)), 'leadconduit-account.json');
      expect(parsed.ok ? [] : parsed.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([]);
      for (const { path } of leaves(desired)) {
        expect(READ_ONLY_FIELDS as readonly string[]).not.toContain(path[0]);
        expect(SUBSCRIPTION_READ_ONLY_FIELDS as readonly string[]).not.toContain(path[2]);
      }
      expect(liveAccountSchema.safeParse(live).success).toBe(true);
    });
  });

  it('spell one instant in many equivalent forms, all valid and equal as settings', () => {
    run(fc.tuple(instantArb, dateFormArb, dateFormArb), ([ms, a, b]) => {
      const left = formatInstant(ms, a);
      const right = formatInstant(ms, b);
      expect(desiredStateSchema.safeParse({ data_truncated_at: left }).success, left).toBe(true);
      expect(Date.parse(left), left).toBe(ms);
      expect(sameValue(['data_truncated_at'], left, right)).toBe(true);
      expect(sameValue(['data_truncated_at'], left, new Date(ms + 1000).toISOString())).toBe(false);
    });
  });

  it('cover the interesting cases often enough for the properties to mean something', () => {
    const samples = fc.sample(scenarioArb, { numRuns: 1000, seed: 42 });
    const share = (predicate: (s: Scenario) => boolean) => samples.filter(predicate).length / samples.length;
    const changes = new Map(samples.map((s) => [s, expectedChanges(s.desired, s.live)]));
    const changesOf = (s: Scenario) => changes.get(s)!;
    const hasEmptyObject = (value: unknown): boolean => isObj(value) && (Object.keys(value).length === 0 || Object.values(value).some(hasEmptyObject));
    const coverage = {
      'no change': share((s) => changesOf(s).length === 0),
      'destructive change': share((s) => changesOf(s).some((c) => c.destructive)),
      'only safe changes': share((s) => changesOf(s).length > 0 && changesOf(s).every((c) => !c.destructive)),
      'date equal as an instant, spelled differently': share(({ live, desired }) =>
        leaves(desired).some(({ path, value }) => isDatePath(path) && at(live, path) !== value && equalSetting(path, at(live, path), value)),
      ),
      'subscription the account lacks': share(({ live, desired }) =>
        leaves(desired).some(({ path }) => path[0] === 'subscriptions' && at(live, path.slice(0, 2)) === null),
      ),
      'unknown live feature kept through a features change': share(
        (s) =>
          Object.keys(s.live.features ?? {}).some((k) => !(FEATURE_NAMES as readonly string[]).includes(k)) &&
          changesOf(s).some((c) => c.path.startsWith('features.')),
      ),
      'no retention set live': share(({ live }) => live.data_retention_in_days === null),
      'empty object in the file': share(({ desired }) => hasEmptyObject(desired)),
      'id guard': share(({ desired }) => desired.id !== undefined),
    };
    Object.assign(generatorCoverage, coverage);
    for (const [name, value] of Object.entries(coverage)) expect(value, `${name}: ${(value * 100).toFixed(1)}%`).toBeGreaterThanOrEqual(0.03);
  });
});

describe('plan (pure)', () => {
  it('plans exactly the managed settings that differ, with the destructive rules, and verifyAccount agrees', () => {
    run(scenarioArb, ({ live, desired }) => {
      const view = liveView(live);
      const changes = planChanges(desired, view);
      const expected = expectedChanges(desired, live);
      expect(changes.map(({ path, before, after, destructive }) => ({ path, before, after, destructive }))).toEqual(expected);
      for (const change of changes) expect(change.warning !== undefined).toBe(change.destructive);
      expect(verifyAccount(desired, view).map((m) => m.path)).toEqual(expected.map((c) => c.path));
    });
  });

  it('sends a PUT body with only the top-level keys that have a change, nested objects holding only writable fields', () => {
    run(scenarioArb, ({ live, desired }) => {
      const view = liveView(live);
      const changes = planChanges(desired, view);
      const body = buildAccountUpdate(desired, view, changes) as Obj;
      expect(sorted(Object.keys(body))).toEqual(sorted(new Set(changes.map((c) => c.path.split('.')[0] ?? ''))));
      for (const value of Object.values(body.features ?? {})) expect(typeof value).toBe('boolean');
      for (const entry of Object.values((body.subscriptions ?? {}) as Record<string, Obj>)) {
        for (const [field, value] of Object.entries(entry)) {
          expect(SUBSCRIPTION_MANAGED_FIELDS as readonly string[]).toContain(field);
          expect(typeof value).toBe('string');
        }
      }
    });
  });

  it('tells pull-request changes from drift by the file on the base branch', () => {
    const baseArb = fc.oneof(fc.constant('none' as const), fc.constant('same' as const), desiredStateArb);
    run(fc.tuple(scenarioArb, baseArb), ([{ live, desired }, baseChoice]) => {
      const base = baseChoice === 'none' ? undefined : baseChoice === 'same' ? desired : baseChoice;
      const classified = classifyChanges(planChanges(desired, liveView(live)), base);
      for (const change of classified) {
        const path = change.path.split('.');
        const baseValue = base === undefined ? null : at(base, path);
        const drift = baseValue !== null && equalSetting(path, baseValue, change.after);
        expect(change.source, change.path).toBe(drift ? 'drift' : 'pull-request');
      }
      if (baseChoice === 'same') expect(classified.every((c) => c.source === 'drift')).toBe(true);
    });
  });

  for (const nested of NESTED) {
    describe(`against a server that ${nested}s nested objects`, () => {
      it('applying converges (managed = file, unmanaged and read-only as before) and a second run plans nothing', () => {
        run(scenarioArb, ({ live, desired }) => {
          const before = live as Obj;
          const { changes, after } = applyModel(desired, before, nested);
          expectConverged(desired, before, after);
          expect(verifyAccount(desired, liveView(after))).toEqual([]);
          // A subscription the plan does not change is sent (if at all) as it is: LeadConduit stamps nothing on it.
          for (const name of Object.keys((at(before, ['subscriptions']) as Obj | null) ?? {})) {
            if (changes.some((c) => c.path.startsWith(`subscriptions.${name}.`))) continue;
            for (const field of SUBSCRIPTION_TIMESTAMP_FIELDS) {
              expect(at(after, ['subscriptions', name, field]), `subscriptions.${name}.${field}`).toEqual(at(before, ['subscriptions', name, field]));
            }
          }
          const second = applyModel(desired, after, nested);
          expect(second.changes).toEqual([]);
          expect(second.body).toEqual({});
        });
      });

      it('previousState(desired, live) is a valid file that, applied back, restores the managed values', () => {
        run(scenarioArb, ({ live, desired }) => {
          const before = live as Obj;
          const previous = previousState(desired, liveView(before));
          const parsed = desiredStateSchema.safeParse(previous);
          expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
          // It manages only what the file manages, with the live values.
          const managed = new Set(leaves(desired).map(({ path }) => path.join('.')));
          for (const { path, value } of leaves(previous)) {
            expect(managed.has(path.join('.')), path.join('.')).toBe(true);
            expect(value).toEqual(at(before, path));
          }
          const { after: applied } = applyModel(desired, before, nested);
          const { after: restored } = applyModel(previous, applied, nested);
          for (const { path } of leaves(desired)) {
            const original = at(before, path);
            if (original === null) continue; // not set live: nothing to put back
            expect(equalSetting(path, at(restored, path), original), `${path.join('.')} restored`).toBe(true);
          }
          // And putting it back touches nothing the file does not manage.
          for (const path of writablePaths(applied, restored)) {
            if (managed.has(path.join('.'))) continue;
            expect(at(restored, path), path.join('.')).toEqual(at(applied, path));
          }
        });
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// End to end: the whole action, in-process, against the fake LeadConduit

describe('the action end to end (in-process, fake LeadConduit)', () => {
  const fakes = new Map<Nested, FakeLeadConduit>();
  beforeAll(async () => {
    for (const nested of NESTED) fakes.set(nested, await startFakeLeadConduit({ nested }));
  });
  afterAll(async () => {
    for (const fake of fakes.values()) await fake.close();
  });

  async function action(fake: FakeLeadConduit, desired: DesiredState, mode: 'plan' | 'apply', allowDestructive: boolean): Promise<ActionRun> {
    const setup: ActionSetup = {
      file: desired,
      leadconduitUrl: fake.url,
      // A manual run: apply looks for no reviewed plan; plan has no pull request to comment on.
      event: 'workflow_dispatch',
      inputs: { mode, 'allow-destructive': String(allowDestructive), 'github-token': '', comment: 'false' },
    };
    const result = await runInProcess(setup, FAST_TUNING);
    await result.cleanup();
    return result;
  }

  const puts = (fake: FakeLeadConduit) => fake.requests.filter((r) => r.method === 'PUT');
  const fail = (run: ActionRun) =>
    run.stdout
      .split('\n')
      .filter((line) => line.startsWith('::error'))
      .join('\n');

  for (const nested of NESTED) {
    it(`server ${nested}s nested objects: plan sends nothing; destructive changes need allow-destructive; apply converges; a second run sends nothing`, async () => {
      const fake = fakes.get(nested)!;
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ live, desired }: Scenario) => {
          executed.e2e++;
          fake.account = live;
          fake.requests.length = 0;
          const before = fake.account as Obj;
          const expected = expectedChanges(desired, before);
          const destructive = expected.some((c) => c.destructive);

          // 1. plan mode never sends a PUT.
          const plan = await action(fake, desired, 'plan', true);
          expect(plan.exitCode, fail(plan)).toBe(0);
          expect(plan.outputs['change-count']).toBe(String(expected.length));
          expect(JSON.parse(plan.outputs.changes ?? '[]').map((c: Change) => c.path)).toEqual(expected.map((c) => c.path));
          expect(puts(fake)).toHaveLength(0);
          expect(fake.account).toEqual(before);

          // 2. apply without allow-destructive: a destructive plan sends nothing at all.
          const guarded = await action(fake, desired, 'apply', false);
          if (destructive) {
            expect(guarded.exitCode).toBe(1);
            expect(fail(guarded)).toContain('Refusing to apply');
            expect(puts(fake)).toHaveLength(0);
            expect(fake.account).toEqual(before);
          } else {
            expect(guarded.exitCode, fail(guarded)).toBe(0);
          }

          // 3. apply (allowed): one PUT with exactly the changed top-level keys, then convergence.
          const applied = destructive ? await action(fake, desired, 'apply', true) : guarded;
          expect(applied.exitCode, fail(applied)).toBe(0);
          expect(applied.outputs.applied).toBe(String(expected.length > 0));
          const sent = puts(fake);
          expect(sent).toHaveLength(expected.length > 0 ? 1 : 0);
          if (sent[0]) {
            expect(sorted(Object.keys(sent[0].json as Obj))).toEqual(sorted(new Set(expected.map((c) => c.path.split('.')[0] ?? ''))));
          }
          const after = fake.account as Obj;
          expectConverged(desired, before, after);

          // 4. a second run plans nothing and sends nothing.
          const again = await action(fake, desired, 'apply', false);
          expect(again.exitCode, fail(again)).toBe(0);
          expect(again.outputs).toMatchObject({ changed: 'false', 'change-count': '0', applied: 'false' });
          expect(puts(fake)).toHaveLength(sent.length);
          expect(fake.account).toEqual(after);
        }),
        { numRuns: E2E_RUNS, ...SEED },
      );
    }, 120_000);
  }
});

// Keep the model honest: it must agree with the fake server on what a PUT does.
describe('the pure model of PUT /account', () => {
  it('agrees with the fake LeadConduit server', async () => {
    const fakes = await Promise.all(NESTED.map((nested) => startFakeLeadConduit({ nested, now: () => new Date(NOW) })));
    try {
      await fc.assert(
        fc.asyncProperty(liveAccountArb, scenarioArb, fc.boolean(), async (account, { live, desired }, stampsInBody) => {
          executed.pure++;
          const changes = planChanges(desired, liveView(live));
          const body = buildAccountUpdate(desired, liveView(live), changes);
          // What a request says for a timestamp makes no difference: the server keeps its own.
          if (stampsInBody) {
            for (const entry of Object.values(body.subscriptions ?? {})) {
              const fields = liveObject(entry);
              for (const field of SUBSCRIPTION_TIMESTAMP_FIELDS) if (fields) fields[field] = '1999-01-01T00:00:00Z';
            }
          }
          for (const [i, nested] of NESTED.entries()) {
            const fake = fakes[i]!;
            fake.account = account;
            const res = await fetch(`${fake.url}/account`, {
              method: 'PUT',
              headers: { authorization: `Basic ${Buffer.from(`API:${fake.apiKey}`).toString('base64')}`, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            expect(res.status).toBe(200);
            expect(await res.json()).toEqual(putModel(account as Obj, body, nested));
          }
        }),
        { numRuns: Math.max(1, Math.floor(PURE_RUNS / 4)), ...SEED },
      );
    } finally {
      await Promise.all(fakes.map((fake) => fake.close()));
    }
  });
});
