#!/usr/bin/env node
// `npm run bench`: the built action (dist/index.js) measured against the floor, a bare
// `node -e ''` measured in the same run, as the Actions runner starts it (see
// test/support/action-env.ts). Prints a table and writes the same figures to bench/results.json.
//
//   validate  cold start: mode validate, no network
//   plan      pull_request against the loopback fakes: GET /account, base file, list + update comment
//   apply     push against the fakes: GET /account, commit -> PR lookup, list comments, PUT /account
//
// Options: --runs N         measured rounds (15), after --warmup N (3) rounds that are not counted
//          --mem-runs N     rounds measuring CPU time, max RSS and the files loaded (7)
//          --out FILE       bench/results.json (for --dist or --compile-cache: bench-results/, git-ignored)
//          --no-write       print only
//          --profile        also CPU-profile validate and plan runs (node --cpu-prof): where the time goes
//          --dist DIR       measure another build (a candidate) instead of dist/
//          --compile-cache  run the action with NODE_COMPILE_CACHE (a warm V8 code cache, as after the
//                           warm-ups): what a compile cache could give at best
//          --check          exit 1 when a target is missed
//
// The fakes are the project's own (test/support/*.ts), imported with Node's type stripping; a
// resolve hook maps their `./x.js` specifiers to `./x.ts`. Needs Node >= 22.18 (npm run bench uses
// the project's Node 24).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ARGS = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    'mem-runs': { type: 'string', default: '7' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    dist: { type: 'string', default: join(ROOT, 'dist') },
    'compile-cache': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const opts = ARGS.values;
const DIST = resolve(opts.dist);
// Only the committed build's figures go to bench/results.json; a candidate's or a variant's to bench-results/ (git-ignored).
const OUT =
  opts.out ??
  (DIST === join(ROOT, 'dist') && !opts['compile-cache']
    ? join(ROOT, 'bench', 'results.json')
    : join(ROOT, 'bench-results', `results-${DIST.split('/').at(-1)}${opts['compile-cache'] ? '-compile-cache' : ''}.json`));
const ENTRY = join(DIST, 'index.js');
const NODE = process.execPath;
/** line -> package of the runtime dependencies, built on first use (identify()). */
let lineIndex;

const RUNS = positive(opts.runs, 'runs');
const WARMUP = Math.max(0, Number(opts.warmup) | 0);
const MEM_RUNS = positive(opts['mem-runs'], 'mem-runs');

function positive(value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${value}`);
  return n;
}

if (!process.features.typescript || typeof nodeModule.registerHooks !== 'function') {
  console.error(`bench: this Node (${process.version}) cannot strip types; run it with the project's Node: npm run bench`);
  process.exit(2);
}
if (!existsSync(ENTRY)) {
  console.error('bench: dist/index.js is missing; run `npm run build` first.');
  process.exit(2);
}

// --- the project's fakes, imported as TypeScript -------------------------------------------------
nodeModule.registerHooks({
  resolve(specifier, context, nextResolve) {
    if (context.parentURL?.endsWith('.ts') && /^\.\.?\//.test(specifier) && specifier.endsWith('.js')) {
      const ts = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
      if (existsSync(fileURLToPath(ts))) return nextResolve(ts.href, context);
    }
    return nextResolve(specifier, context);
  },
});
const support = (name) => import(new URL(`../test/support/${name}`, import.meta.url).href);
const { startFakeLeadConduit } = await support('fake-leadconduit.ts');
const { startFakeGitHub } = await support('fake-github.ts');
const { sampleAccount, SAMPLE_ACCOUNT_ID } = await support('sample-account.ts');
const { prepare, parseOutputs, PR_NUMBER, BASE_SHA, MERGE_SHA } = await support('action-env.ts');

// --- the fakes' own time: request start -> response finished, summed over a run -----------------
// Both fakes live in this process; a child's request waits on them for this long at most.
const started = new WeakMap();
let fakeNs = 0n;
diagnostics.subscribe('http.server.request.start', ({ response }) => started.set(response, process.hrtime.bigint()));
diagnostics.subscribe('http.server.response.finish', ({ response }) => {
  const t0 = started.get(response);
  if (t0 !== undefined) fakeNs += process.hrtime.bigint() - t0;
});

const lc = await startFakeLeadConduit();
const gh = await startFakeGitHub();

const FILE = 'leadconduit-account.json';
const desired = `${JSON.stringify({ id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 400, features: { firehose: true, real_time_bidding: true } }, null, 2)}\n`;
const baseFile = `${JSON.stringify({ id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 365, features: { firehose: true } }, null, 2)}\n`;
/** The plan comment as the action writes it; set by a first plan run below. */
let planComment;

/** Back to the starting state; `comment`: the plan comment already on the PR (the common case: a push to an open PR). */
function resetFakes(comment) {
  lc.account = sampleAccount();
  lc.requests.length = 0;
  gh.requests.length = 0;
  gh.comments.splice(0);
  gh.files.clear();
  gh.commitPulls.clear();
  gh.setFile(BASE_SHA, FILE, baseFile);
  gh.setCommitPulls(MERGE_SHA, [
    {
      number: PR_NUMBER,
      html_url: `https://github.com/acme/settings/pull/${PR_NUMBER}`,
      merge_commit_sha: MERGE_SHA,
      merged_at: '2026-01-02T03:04:05Z',
      state: 'closed',
    },
  ]);
  if (comment !== undefined) gh.addComment(PR_NUMBER, comment);
}

const calls = (fake) => {
  const byRoute = {};
  for (const r of fake.requests) {
    const key = r.route ?? `${r.method} ${r.path}`;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
  }
  return { total: fake.requests.length, byRoute };
};

// --- one child run ------------------------------------------------------------------------------
/** Spawn `node args` with env; resolves with wall time (ms), exit code and stdout. `wrap`: a command to run node under. */
function runChild(args, env, wrap = []) {
  return new Promise((resolveRun, reject) => {
    const [cmd, ...pre] = wrap.length > 0 ? [...wrap, NODE] : [NODE];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, [...pre, ...args], { cwd: env.GITHUB_WORKSPACE ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ms = 0;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', () => (ms = Number(process.hrtime.bigint() - t0) / 1e6));
    child.on('close', (code) => resolveRun({ ms, code, stdout, stderr }));
  });
}

// --- scenarios ----------------------------------------------------------------------------------
const bare = { PATH: process.env.PATH ?? '' };
const prepared = [];
async function actionEnv(setup) {
  const p = await prepare({ file: desired, fileName: FILE, leadconduitUrl: lc.url, githubUrl: gh.url, ...setup });
  prepared.push(p);
  return { ...bare, ...p.env, ...(opts['compile-cache'] ? { NODE_COMPILE_CACHE: join(p.temp, 'compile-cache') } : {}) };
}

const scenarios = [
  { name: 'baseline', label: "node -e ''", args: ['-e', ''], env: bare, before() {}, check() {} },
  {
    name: 'validate',
    label: 'validate (no network)',
    args: [ENTRY],
    env: await actionEnv({ event: 'pull_request', inputs: { mode: 'validate' } }),
    before: () => resetFakes(),
    check(run, out) {
      if (lc.requests.length + gh.requests.length !== 0) return 'validate made HTTP calls';
      return out.changed === 'false' ? undefined : `changed=${out.changed}`;
    },
  },
  {
    name: 'plan',
    label: 'plan (pull_request)',
    args: [ENTRY],
    env: await actionEnv({ event: 'pull_request', inputs: { mode: 'auto' } }),
    before: () => resetFakes(planComment),
    check(run, out) {
      if (out.changed !== 'true') return `changed=${out.changed}`;
      if (!out['comment-url']) return 'no comment-url';
      return gh.count('PATCH comment') === 1 ? undefined : 'the plan comment was not updated';
    },
  },
  {
    name: 'apply',
    label: 'apply (push, merged PR)',
    args: [ENTRY],
    env: await actionEnv({ event: 'push', inputs: { mode: 'auto' } }),
    before: () => resetFakes(planComment),
    check(run, out) {
      if (out.applied !== 'true' || lc.count('PUT /account') !== 1) return `applied=${out.applied}`;
      // A reviewed plan that did not match would have failed the run: it was found and matched.
      return gh.count('GET commit pulls') === 1 && gh.count('GET comments') >= 1 ? undefined : 'the reviewed plan was not looked up';
    },
  },
];
const byName = Object.fromEntries(scenarios.map((s) => [s.name, s]));

/** One run of a scenario: reset, spawn, check. Returns { ms, fakeMs, calls }. */
async function measure(scenario, wrap = []) {
  scenario.before();
  if (scenario.env.GITHUB_OUTPUT) {
    writeFileSync(scenario.env.GITHUB_OUTPUT, '');
    writeFileSync(scenario.env.GITHUB_STEP_SUMMARY, '');
  }
  fakeNs = 0n;
  const run = await runChild(scenario.args, scenario.env, wrap);
  const fakeMs = Number(fakeNs) / 1e6;
  const fail = (why) => {
    throw new Error(`bench: ${scenario.name} did not do its job (${why}); exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  };
  if (run.code !== 0) fail('non-zero exit');
  if (scenario.env.GITHUB_OUTPUT) {
    const out = parseOutputs(readFileSync(scenario.env.GITHUB_OUTPUT, 'utf8'));
    const why = scenario.check(run, out);
    if (why) fail(why);
  }
  return { ...run, fakeMs, calls: { leadconduit: calls(lc), github: calls(gh) } };
}

// A first plan on the PR creates the comment (its calls are counted); later runs update it.
resetFakes();
const firstPlan = await measure({ ...byName.plan, before() {}, check: (run, out) => (out['comment-url'] ? undefined : 'no comment-url') });
planComment = gh.comments.find((c) => c.issue_number === PR_NUMBER)?.body;
if (!planComment) throw new Error('bench: the first plan made no comment');
const planCreateCalls = firstPlan.calls;

// --- timing: scenarios interleaved, so drift hits all alike ---------------------------------------
const samples = Object.fromEntries(scenarios.map((s) => [s.name, { ms: [], fakeMs: [], calls: undefined }]));
const total = WARMUP + RUNS;
const loadBefore = loadavg()[0];
process.stderr.write(`bench: ${WARMUP} warm-up + ${RUNS} measured rounds of ${scenarios.map((s) => s.name).join(', ')} (${NODE} ${process.version})\n`);
for (let round = 0; round < total; round++) {
  for (const scenario of rotate(scenarios, round)) {
    const r = await measure(scenario);
    if (round < WARMUP) continue;
    const s = samples[scenario.name];
    s.ms.push(r.ms);
    s.fakeMs.push(r.fakeMs);
    s.calls = r.calls;
  }
  process.stderr.write(`\r  round ${round + 1}/${total}`);
}
process.stderr.write('\n');

/** Start each round at a different scenario, so none always runs first. */
function rotate(list, n) {
  const k = n % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

// --- peak memory and CPU time ----------------------------------------------------------------------
// Separate runs, each node started with a small --import preload that writes, at exit,
// process.resourceUsage(): CPU time (user + system, all of node's threads, microseconds) and
// maxRSS. CPU time is what a run costs even when other work on the machine stretches its wall time.
// Where GNU time exists, the run is also wrapped in it and its %M is the max RSS taken: the
// kernel's high-water mark of the node process's resident set, read by wait4() after it ended.
// The preload's own cost (one tiny module and a load hook) is in every run, the baseline's too.
const resources = { method: '', kb: {}, cpuMs: {}, files: {} };
{
  const gnuTime = ['/usr/bin/time', '/bin/time'].find((path) => {
    try {
      accessSync(path, constants.X_OK);
      execFileSync(path, ['-f', '%M', NODE, '-e', ''], { stdio: ['ignore', 'ignore', 'pipe'] });
      return true;
    } catch {
      return false;
    }
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const usageFile = join(dir, 'usage');
  const rssFile = join(dir, 'rss');
  const preload = join(dir, 'usage.mjs');
  // It also lists the files node loads (a load hook): which of dist/'s files each mode reads.
  writeFileSync(
    preload,
    [
      "import { writeFileSync } from 'node:fs';",
      "import { registerHooks } from 'node:module';",
      'const files = new Set();',
      "registerHooks({ load(url, context, next) { if (url.startsWith('file:')) files.add(url); return next(url, context); } });",
      "process.on('exit', () => {",
      '  const u = process.resourceUsage();',
      `  writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify({ cpuUs: u.userCPUTime + u.systemCPUTime, maxRssKb: u.maxRSS, files: [...files] }));`,
      '});',
    ].join('\n'),
  );
  resources.method = `${gnuTime ? `max RSS: ${gnuTime} -f %M (ru_maxrss of the node process, from wait4)` : 'max RSS: process.resourceUsage().maxRSS at exit'}; CPU: process.resourceUsage() user + system at exit (--import preload)`;
  for (const scenario of scenarios) {
    resources.kb[scenario.name] = [];
    resources.cpuMs[scenario.name] = [];
  }
  for (let i = 0; i < MEM_RUNS; i++) {
    for (const scenario of rotate(scenarios, i)) {
      await measure({ ...scenario, args: ['--import', preload, ...scenario.args] }, gnuTime ? [gnuTime, '-f', '%M', '-o', rssFile] : []);
      const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
      resources.cpuMs[scenario.name].push(usage.cpuUs / 1000);
      resources.kb[scenario.name].push(gnuTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : usage.maxRssKb);
      resources.files[scenario.name] = usage.files.map((url) => fileURLToPath(url)).filter((path) => path.startsWith(`${DIST}/`));
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

// --- bundle size ----------------------------------------------------------------------------------
// index.js is what the runner loads at start; ncc names the chunks it imports on demand N.index.js;
// anything else (the CLI's bundle) is another entry point that the action never loads.
const bytesOf = (path) => statSync(path).size;
const distFiles = readdirSync(DIST, { recursive: true })
  .map(String)
  .filter((f) => /\.[cm]?js$/.test(f) && statSync(join(DIST, f)).isFile());
const size = {
  startBytes: bytesOf(ENTRY),
  lazyChunks: Object.fromEntries(distFiles.filter((f) => /^[^/]+\.index\.js$/.test(f)).map((f) => [f, bytesOf(join(DIST, f))])),
  otherEntries: Object.fromEntries(distFiles.filter((f) => f !== 'index.js' && !/^[^/]+\.index\.js$/.test(f)).map((f) => [f, bytesOf(join(DIST, f))])),
  distBytes: readdirSync(DIST, { recursive: true }).reduce(
    (sum, f) => sum + (statSync(join(DIST, String(f))).isFile() ? bytesOf(join(DIST, String(f))) : 0),
    0,
  ),
  entrySha256: createHash('sha256').update(readFileSync(ENTRY)).digest('hex').slice(0, 16),
  // Which of dist/'s files each mode loaded (seen by a load hook in the resource runs), and their bytes.
  loadedByMode: Object.fromEntries(
    ['validate', 'plan', 'apply'].map((name) => {
      const files = (resources.files[name] ?? []).map((path) => relative(DIST, path));
      return [name, { files, bytes: files.reduce((sum, f) => sum + bytesOf(join(DIST, f)), 0) }];
    }),
  ),
};
size.lazyBytes = Object.values(size.lazyChunks).reduce((a, b) => a + b, 0);

// --- figures ----------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};
const round1 = (x) => Math.round(x * 10) / 10;
const round2 = (x) => Math.round(x * 100) / 100;

const base = median(samples.baseline.ms);
const figures = {};
for (const scenario of scenarios) {
  const s = samples[scenario.name];
  const med = median(s.ms);
  const fakes = median(s.fakeMs);
  figures[scenario.name] = {
    label: scenario.label,
    medianMs: round1(med),
    minMs: round1(Math.min(...s.ms)),
    minRatio: round2(Math.min(...s.ms) / Math.min(...samples.baseline.ms)),
    p90Ms: round1(quantile(s.ms, 0.9)),
    ratio: round2(med / base),
    fakesMs: round2(fakes),
    ratioWithoutFakes: round2((med - fakes) / base),
    cpuMs: round1(median(resources.cpuMs[scenario.name])),
    cpuRatio: round2(median(resources.cpuMs[scenario.name]) / median(resources.cpuMs.baseline)),
    maxRssMB: round1(median(resources.kb[scenario.name]) / 1024),
    httpCalls: scenario.name === 'baseline' ? undefined : { leadconduit: s.calls.leadconduit, github: s.calls.github },
  };
}

const KB = 1024;
const startLoaded = size.loadedByMode.validate.bytes || size.startBytes;
const targets = [
  // Judged on wall time; the CPU-time ratio beside it moves less when the machine is busy.
  {
    target: 'cold start (validate) <= 1.5x bare Node',
    value: `${figures.validate.ratio}x (CPU ${figures.validate.cpuRatio}x)`,
    ok: figures.validate.ratio <= 1.5,
  },
  {
    target: 'plan <= 2x bare Node + fakes',
    value: `${figures.plan.medianMs} ms vs ${round1(2 * base + figures.plan.fakesMs)} ms: ${figures.plan.ratioWithoutFakes}x without fakes (CPU ${figures.plan.cpuRatio}x)`,
    ok: figures.plan.medianMs <= 2 * base + figures.plan.fakesMs,
  },
  // What a run with no network loads is what the runner loads at start: index.js and anything it imports statically.
  { target: 'bundle loaded at start <= 600 KB', value: `${round1(startLoaded / KB)} KB`, ok: startLoaded <= 600 * KB },
];

const results = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: { count: cpus().length, availableParallelism: availableParallelism(), model: cpus()[0]?.model?.trim() ?? 'unknown' },
  memoryGB: round1(totalmem() / 1024 ** 3),
  // Other work on the machine slows every scenario; the ratios (same run, interleaved) suffer least.
  loadAverage1m: { before: round2(loadBefore), after: round2(loadavg()[0]) },
  dist: relative(ROOT, DIST) || '.',
  compileCache: opts['compile-cache'],
  runs: RUNS,
  warmup: WARMUP,
  resourceRuns: MEM_RUNS,
  timing: "wall time from spawn() to the child's exit, as seen by this process; median of the measured runs, scenarios interleaved",
  fakesTiming: 'server-side time of the loopback fakes in this process (request start -> response finished, summed per run; median over runs)',
  resources: resources.method,
  scenarios: figures,
  planCreateHttpCalls: planCreateCalls,
  bundle: size,
  targets,
};

// --- what the bundle is made of; with --profile, where the time goes ---------------------------------
results.bundleByPackage = {
  note: 'bytes of each bundle file by package: named ES modules as the bundle names them, CommonJS modules matched line by line against the installed runtime dependencies',
  ...bytesByPackage(),
};
if (opts.profile) {
  results.profile = {};
  for (const name of ['validate', 'plan']) results.profile[name] = await profileScenario(name);
}

// --- print ----------------------------------------------------------------------------------------
const table = (rows) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r, ri) => r.map((c, i) => (i === 0 || ri === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n');
};
const callText = (c) => (c ? `${c.leadconduit.total} LC + ${c.github.total} GH` : '');
console.log(
  `\nleadconduit-account-action bench: ${results.date}, node ${results.node}, ${results.cpus.count} x ${results.cpus.model}, ${RUNS} runs after ${WARMUP} warm-ups\n`,
);
console.log(
  table([
    [
      'scenario',
      'median ms',
      'x bare',
      'min ms',
      'x bare (min)',
      'p90 ms',
      'fakes ms',
      'x bare w/o fakes',
      'CPU ms',
      'x bare (CPU)',
      'max RSS MB',
      'HTTP calls',
    ],
    ...scenarios.map(({ name }) => {
      const f = figures[name];
      const action = name !== 'baseline';
      return [
        f.label,
        f.medianMs,
        f.ratio.toFixed(2),
        f.minMs,
        f.minRatio.toFixed(2),
        f.p90Ms,
        action ? f.fakesMs : '',
        action ? f.ratioWithoutFakes.toFixed(2) : '',
        f.cpuMs,
        f.cpuRatio.toFixed(2),
        f.maxRssMB,
        callText(f.httpCalls),
      ];
    }),
  ]),
);
console.log(
  `(wall ms: spawn -> exit, ${RUNS} runs; x bare: median / median of node -e ''; x bare w/o fakes: (median - fakes ms) / bare median; CPU ms: user + system, median of ${MEM_RUNS} runs)`,
);
const cores = results.cpus.count;
if (Math.max(results.loadAverage1m.before, results.loadAverage1m.after) > cores / 2) {
  console.log(
    `Note: the machine was busy (1-min load ${results.loadAverage1m.before} -> ${results.loadAverage1m.after} on ${cores} cores): absolute times are inflated; the ratios less so.`,
  );
}
console.log('\nHTTP calls by route:');
for (const name of ['validate', 'plan', 'apply']) {
  const c = figures[name].httpCalls;
  console.log(`  ${name.padEnd(8)} LeadConduit ${JSON.stringify(c.leadconduit.byRoute)}  GitHub ${JSON.stringify(c.github.byRoute)}`);
}
console.log(
  `  ${'plan, first on the PR (creates the comment)'}: LeadConduit ${JSON.stringify(planCreateCalls.leadconduit.byRoute)}  GitHub ${JSON.stringify(planCreateCalls.github.byRoute)}`,
);
const kbList = (o) =>
  Object.entries(o)
    .map(([f, b]) => `${f} ${round1(b / KB)} KB`)
    .join(', ') || 'none';
console.log(
  `\ndist/: ${round1(size.startBytes / KB)} KB loaded at start (index.js); lazy chunks: ${kbList(size.lazyChunks)}; other entry points, never loaded by the action: ${kbList(size.otherEntries)}; ${round1(size.distBytes / KB)} KB in all`,
);
for (const [name, { files, bytes }] of Object.entries(size.loadedByMode))
  console.log(`  ${name.padEnd(8)} loads ${round1(bytes / KB)} KB: ${files.join(', ')}`);
console.log('\nBytes by package (largest first):');
for (const [file, rows] of Object.entries(results.bundleByPackage)) {
  if (file === 'note') continue;
  console.log(
    `  ${file}: ${rows
      .slice(0, 9)
      .map(([p, b]) => `${p} ${round1(b / KB)} KB`)
      .join(', ')}${rows.length > 9 ? ', ...' : ''}`,
  );
}
for (const [name, profile] of Object.entries(results.profile ?? {})) printProfile(name, profile);
console.log(`\n${resources.method}`);
console.log('\nTargets:');
for (const t of targets) console.log(`  ${t.ok ? 'MET ' : 'MISS'}  ${t.target}: ${t.value}`);

if (!opts['no-write']) {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${relative(process.cwd(), OUT) || OUT}`);
}

await Promise.all([lc.close(), gh.close()]);
await Promise.all(prepared.map((p) => p.cleanup()));
if (opts.check && targets.some((t) => !t.ok)) process.exitCode = 1;

// --- helpers: bundle contents and --profile --------------------------------------------------------------
/** The package a module path belongs to ("src" for ours). */
function packageOf(name) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name ?? '');
  if (m) return m[1];
  if (/^\.\/src\//.test(name ?? '')) return 'src';
  if (/^external /.test(name ?? '')) return 'node builtins';
  return name?.startsWith('webpack/') ? 'webpack runtime' : (name ?? '?');
}

/**
 * The modules of an ncc/webpack bundle file, each with its bytes and the package it comes from.
 * Concatenated ES modules are named in the bundle (`;// CONCATENATED MODULE: ./node_modules/...`);
 * CommonJS modules are only numbered, so their package is found by matching their longer lines
 * against the files of the installed runtime dependencies (identify()).
 */
function bundleModules(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const modules = [];
  let current;
  let lineNumber = 0;
  const start = (id, name) => {
    current = { id, name, bytes: 0, lines: [], firstLine: lineNumber + 1 };
    modules.push(current);
  };
  start('', 'webpack runtime');
  for (const line of lines) {
    lineNumber++;
    let m;
    if ((m = /^\/\*\*\*\/ (\d+):$/.exec(line))) start(m[1], undefined);
    else if ((m = /^;\/\/ CONCATENATED MODULE: (.*)$/.exec(line))) start(current.id, m[1]);
    else if (/^\/\*{72,80}\/$/.test(line) || line.startsWith('/******/ ')) {
      if (current.name !== 'webpack runtime') start('', 'webpack runtime');
    }
    current.bytes += Buffer.byteLength(line) + 1;
    current.lines.push(line);
    current.lastLine = lineNumber;
  }
  for (const module of modules) {
    const text = module.lines.join('\n');
    const external = /__WEBPACK_EXTERNAL_createRequire\(import\.meta\.url\)\("([^"]+)"\)|module\.exports = require\("([^"]+)"\)/.exec(text);
    if (module.name === undefined && external && module.lines.length < 12) module.name = `external "${external[1] ?? external[2]}"`;
    module.package = module.name === undefined ? identify(module.lines) : packageOf(module.name);
    delete module.lines;
  }
  return modules.filter((m) => m.bytes > 0);
}

/** The package most of a module's distinctive lines come from. */
function identify(lines) {
  lineIndex ??= indexDependencies();
  const votes = {};
  for (const raw of lines) {
    const line = raw.trim();
    if (line.length < 30 || line.includes('__nccwpck_require__') || line.includes('__webpack_')) continue;
    const pkg = lineIndex.get(line);
    if (pkg) votes[pkg] = (votes[pkg] ?? 0) + 1;
  }
  const best = Object.entries(votes).sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : 'unidentified CommonJS';
}

/** line -> package, over the JavaScript files of the runtime dependencies (package.json "dependencies", transitively). */
function indexDependencies() {
  const index = new Map();
  const seen = new Set();
  const visit = (name, fromDir) => {
    // Node's lookup: the nearest node_modules up from the dependent package.
    let dir = fromDir;
    let pkgDir;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        pkgDir = candidate;
        break;
      }
      const up = dirname(dir);
      if (up === dir || !up.startsWith(ROOT)) return;
      dir = up;
    }
    if (seen.has(pkgDir)) return;
    seen.add(pkgDir);
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    for (const file of readdirSync(pkgDir, { recursive: true }).map(String)) {
      if (!/\.[cm]?js$/.test(file) || file.startsWith('node_modules/') || file.includes('/node_modules/')) continue;
      let text;
      try {
        text = readFileSync(join(pkgDir, file), 'utf8');
      } catch {
        continue;
      }
      for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (line.length >= 30 && !index.has(line)) index.set(line, name);
      }
    }
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, pkgDir);
  };
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const dep of Object.keys(root.dependencies ?? {})) visit(dep, ROOT);
  return index;
}

/** Bytes per package in each of the action's bundle files, largest first (a minified bundle's lines match nothing). */
function bytesByPackage() {
  // The files the action loaded in any mode (index.js first), whatever the bundler names its chunks.
  const files = [...new Set(['index.js', ...Object.values(size.loadedByMode).flatMap((m) => m.files)])];
  return Object.fromEntries(
    files.map((file) => {
      const totals = {};
      for (const m of bundleModules(join(DIST, file))) totals[m.package] = (totals[m.package] ?? 0) + m.bytes;
      return [file, Object.entries(totals).sort((a, b) => b[1] - a[1])];
    }),
  );
}

/**
 * CPU profiles of a scenario's runs (the default 1 ms sampling is too coarse for a 100 ms process:
 * 100 us). Each sample goes to a phase, and the JavaScript running it to the bundled package it
 * belongs to, found from the bundle's module boundaries (webpack `/***\/ ID:` factories and the
 * names of concatenated ES modules; CommonJS modules identified as in bundleModules()).
 */
async function profileScenario(name) {
  const dir = join(ROOT, 'bench-results', 'profiles', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const runs = 5;
  const scenario = byName[name];
  for (let i = 0; i < runs; i++) await measure({ ...scenario, args: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', ...scenario.args] });

  const owners = new Map();
  /** Which package each line of a bundle file belongs to. */
  const ownerOf = (path) => {
    if (owners.has(path)) return owners.get(path);
    const owner = [];
    const modules = existsSync(path) ? bundleModules(path) : [];
    for (const [k, m] of modules.entries()) {
      // A frame's line is where its function starts: a factory whose module is concatenated ES
      // modules starts on the factory's line, and runs the top-level code of all of them.
      const concatenated = m.id !== '' && modules[k + 1]?.id === m.id && m.name === undefined;
      const label = concatenated ? `top-level code of concatenated ES modules (module ${m.id})` : m.package;
      for (let line = m.firstLine; line <= m.lastLine; line++) owner[line] = label;
    }
    owners.set(path, owner);
    return owner;
  };
  const phases = {};
  const packages = {};
  const builtinsBy = {};
  let span = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const inDist = (cf) => cf.url.startsWith('file:') && fileURLToPath(cf.url).startsWith(`${DIST}/`);
  for (const file of files) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    span += (p.endTime - p.startTime) / 1000;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (let i = 0; i < p.samples.length; i++) {
      const ms = p.timeDeltas[i] / 1000;
      const stack = [];
      for (let id = p.samples[i]; id !== undefined; id = parent.get(id)) stack.push(nodes.get(id).callFrame);
      const top = stack[0];
      const d = stack.find(inDist);
      let phase;
      if (['(garbage collector)', '(program)', '(idle)'].includes(top.functionName)) phase = top.functionName;
      else if (stack.some((cf) => cf.functionName === 'compileSourceTextModule') || ['decodeUTF8', 'read'].includes(top.functionName))
        phase = 'read + compile the bundle files';
      else if (d) phase = 'bundled JavaScript (module evaluation and the run), incl. node internals it calls';
      else phase = 'node internals with no bundle frame on the stack (bootstrap, I/O callbacks)';
      phases[phase] = (phases[phase] ?? 0) + ms;
      if (d && !phase.startsWith('(') && !phase.startsWith('read')) {
        const path = fileURLToPath(d.url);
        const pkg = ownerOf(path)[d.lineNumber + 1] ?? '?';
        const key = path === ENTRY ? pkg : `${pkg} [${relative(DIST, path)}]`;
        packages[key] = (packages[key] ?? 0) + ms;
        if (top.url.startsWith('node:')) builtinsBy[key] = (builtinsBy[key] ?? 0) + ms;
      }
    }
  }
  const per = (o) =>
    Object.fromEntries(
      Object.entries(o)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, round1(v / files.length)]),
    );
  return {
    note: `node --cpu-prof --cpu-prof-interval 100 on ${files.length} ${name} runs; mean ms per run; profiling slows a run, so compare shares, not ms with the table; profiles in ${relative(ROOT, dir)}/`,
    meanSpanMs: round1(span / files.length),
    phases: per(phases),
    byPackage: per(packages),
    inNodeInternalsCalledBy: per(builtinsBy),
  };
}

function printProfile(name, profile) {
  console.log(`\nWhere ${name}'s time goes (${profile.note}); span ${profile.meanSpanMs} ms:`);
  for (const [k, v] of Object.entries(profile.phases)) console.log(`  ${String(v).padStart(6)} ms  ${k}`);
  console.log('  JavaScript running, by bundled package (incl. the node internals it calls):');
  for (const [k, v] of Object.entries(profile.byPackage).slice(0, 12)) {
    const internals = profile.inNodeInternalsCalledBy[k];
    console.log(`    ${String(v).padStart(6)} ms  ${k}${internals ? ` (${internals} ms of it in node internals)` : ''}`);
  }
}
