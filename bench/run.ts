// One bench run: the scenarios (scenarios.ts) run in interleaved rounds; each run gives its wall
// time, CPU time, peak memory, the files it loaded and its HTTP calls; then the targets
// (targets.ts) are judged on the medians.
import { createHash } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOutputs } from '../test/support/action-env.js';
import { bundleFiles, bytesByPackage } from './bundle.js';
import { resourcePreload, runChild, type Usage } from './child.js';
import { buildFloors } from './floors.js';
import { profileScenario, type Profile } from './profile.js';
import { setUpScenarios, type HostileName, type HostileScenario, type HttpCalls, type Scenario, type ScenarioName } from './scenarios.js';
import { median, quantile, round1, round2 } from './stats.js';
import { judge, type Target } from './targets.js';

export interface BenchOptions {
  /** The project folder. */
  root: string;
  /** The action's build to measure (dist/ or a candidate). */
  dist: string;
  /** Timed rounds, after `warmup` rounds that are not counted. */
  runs: number;
  warmup: number;
  /** Also CPU-profile validate, plan and their floors. */
  profile: boolean;
  /** Run the action with a warm NODE_COMPILE_CACHE: what a V8 code cache could give at best. */
  compileCache: boolean;
  progress: (text: string) => void;
}

export interface ScenarioFigures {
  label: string;
  /** The scenario `ratio` divides by. */
  floor?: ScenarioName;
  medianMs: number;
  minMs: number;
  p90Ms: number;
  /** median / the floor's median */
  ratio?: number;
  /** median / bare node's median */
  bareRatio: number;
  /** The loopback fakes' own time in the run (median). */
  fakesMs: number;
  cpuMs: number;
  /** CPU ms / the floor's CPU ms */
  cpuRatio?: number;
  maxRssMB: number;
  /** Bytes of the bundle's files node read in the run, and which. */
  loadedBytes: number;
  loadedFiles: string[];
  /** Node loaded its own copy of undici (for the fetch globals), besides the one @actions/github bundles. */
  nodeUndici: boolean;
  httpCalls: HttpCalls;
}

/** A plan against a hostile answer (scenarios.ts), which must fail with a clear error. */
export interface HostileFigures {
  label: string;
  runs: number;
  medianMs: number;
  /** median / the normal plan's median */
  planRatio: number;
  cpuMs: number;
  /** The highest maxRSS of its runs. */
  maxRssMB: number;
}

/** The runs of each hostile scenario: enough for a median, few because they are slow. */
const HOSTILE_RUNS = 5;

export interface BenchResults {
  date: string;
  node: string;
  platform: string;
  cpus: { count: number; availableParallelism: number; model: string };
  memoryGB: number;
  /** Other work on the machine slows every scenario; the ratios (same run, interleaved) suffer least. */
  loadAverage1m: { before: number; after: number };
  dist: string;
  compileCache: boolean;
  runs: number;
  warmup: number;
  method: { timing: string; fakes: string; resources: string };
  scenarios: Record<ScenarioName, ScenarioFigures>;
  /** The first plan on a PR also creates the comment. */
  firstPlanHttpCalls: HttpCalls;
  hostile: Record<HostileName, HostileFigures>;
  /** The action's build: its files and bytes; index.js is what the runner loads. */
  build: { files: Record<string, number>; entrySha256: string };
  /** Bytes by package of each file of the build that a mode loaded. */
  bytesByPackage: Record<string, [string, number][]>;
  targets: Target[];
  profile?: Record<string, Profile>;
}

interface Measured {
  ms: number;
  fakesMs: number;
  calls: HttpCalls;
  cpuMs: number;
  rssKb: number;
  /** The files of the scenario's bundle that node loaded. */
  files: string[];
  nodeUndici: boolean;
}

/** The fakes' server-side time: request start -> response finished, summed until reset. */
function fakeTimer(): { reset(): void; ms(): number } {
  const started = new WeakMap<ServerResponse, bigint>();
  let ns = 0n;
  diagnostics.subscribe('http.server.request.start', (message) => started.set((message as { response: ServerResponse }).response, process.hrtime.bigint()));
  diagnostics.subscribe('http.server.response.finish', (message) => {
    const t0 = started.get((message as { response: ServerResponse }).response);
    if (t0 !== undefined) ns += process.hrtime.bigint() - t0;
  });
  return { reset: () => (ns = 0n), ms: () => Number(ns) / 1e6 };
}

/** Start each round at another scenario, so that none always runs first. */
function rotate<T>(list: readonly T[], n: number): T[] {
  const k = n % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const { root, dist, progress } = options;
  const node = process.execPath;
  const floors = await buildFloors(root, progress);
  const cacheDirs = (temp: string): Record<string, string> => (options.compileCache ? { NODE_COMPILE_CACHE: join(temp, 'compile-cache') } : {});
  const bench = await setUpScenarios(dist, floors, cacheDirs);
  const timer = fakeTimer();

  // Every node starts with a small preload that writes, at exit, its CPU time, peak memory and the
  // files it loaded (child.ts). Its cost is the same in every scenario, bare node's included.
  const dir = mkdtempSync(join(tmpdir(), 'bench-usage-'));
  const usageFile = join(dir, 'usage.json');
  const preload = join(dir, 'usage.mjs');
  writeFileSync(preload, resourcePreload(usageFile));

  /** One run: reset the fakes, start node, check it did its job. */
  const measure = async (scenario: Scenario | HostileScenario, nodeArgs: string[] = []): Promise<Measured> => {
    scenario.reset();
    if (scenario.env.GITHUB_OUTPUT) writeFileSync(scenario.env.GITHUB_OUTPUT, '');
    if (scenario.env.GITHUB_STEP_SUMMARY) writeFileSync(scenario.env.GITHUB_STEP_SUMMARY, '');
    rmSync(usageFile, { force: true });
    timer.reset();
    const run = await runChild(node, ['--import', preload, ...nodeArgs, ...scenario.args], scenario.env, scenario.cwd);
    const fakesMs = timer.ms();
    const calls = bench.calls();
    const outputs = scenario.env.GITHUB_OUTPUT ? parseOutputs(readFileSync(scenario.env.GITHUB_OUTPUT, 'utf8')) : {};
    const exitCode = scenario.exitCode ?? 0;
    const why = run.code === exitCode ? scenario.check(outputs, calls, run.stdout) : `exit code ${run.code}, not ${exitCode}`;
    if (why) throw new Error(`bench: ${scenario.label} did not do its job (${why})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as Usage;
    const files = usage.files.map((url) => fileURLToPath(url)).filter((path) => scenario.bundleDir !== undefined && path.startsWith(`${scenario.bundleDir}/`));
    return { ms: run.ms, fakesMs, calls, cpuMs: usage.cpuUs / 1000, rssKb: usage.maxRssKb, files, nodeUndici: usage.nodeUndici };
  };

  try {
    const { scenarios } = bench;
    const firstPlanHttpCalls = await bench.firstPlan(async (s) => (await measure(s)).calls);

    // The scenarios interleaved, each round starting at another one, so that drift in the
    // machine's load hits them all alike.
    const samples = new Map(scenarios.map((s) => [s.name, [] as Measured[]]));
    const loadBefore = loadavg()[0] ?? 0;
    const rounds = options.warmup + options.runs;
    for (let round = 0; round < rounds; round++) {
      for (const scenario of rotate(scenarios, round)) {
        const r = await measure(scenario);
        if (round >= options.warmup) samples.get(scenario.name)?.push(r);
      }
      progress(`  round ${round + 1}/${rounds}`);
    }

    const figuresOf = (scenario: Scenario): ScenarioFigures => {
      const of = (name: ScenarioName) => samples.get(name) ?? [];
      const runs = of(scenario.name);
      const last = runs.at(-1);
      if (!last) throw new Error(`bench: no figures for ${scenario.name}`);
      const ms = median(runs.map((r) => r.ms));
      const cpuMs = median(runs.map((r) => r.cpuMs));
      const floor = scenario.floor && { ms: median(of(scenario.floor).map((r) => r.ms)), cpuMs: median(of(scenario.floor).map((r) => r.cpuMs)) };
      return {
        label: scenario.label,
        floor: scenario.floor,
        medianMs: round1(ms),
        minMs: round1(Math.min(...runs.map((r) => r.ms))),
        p90Ms: round1(
          quantile(
            runs.map((r) => r.ms),
            0.9,
          ),
        ),
        ratio: floor ? round2(ms / floor.ms) : undefined,
        bareRatio: round2(ms / median(of('bare').map((r) => r.ms))),
        fakesMs: round2(median(runs.map((r) => r.fakesMs))),
        cpuMs: round1(cpuMs),
        cpuRatio: floor ? round2(cpuMs / floor.cpuMs) : undefined,
        maxRssMB: round1(median(runs.map((r) => r.rssKb)) / 1024),
        loadedBytes: last.files.reduce((sum, path) => sum + readFileSync(path).length, 0),
        loadedFiles: last.files.map((path) => relative(scenario.bundleDir ?? root, path)),
        nodeUndici: last.nodeUndici,
        httpCalls: last.calls,
      };
    };
    const figures = Object.fromEntries(scenarios.map((s) => [s.name, figuresOf(s)])) as Record<ScenarioName, ScenarioFigures>;

    // The hostile answers after the rounds, a few runs each: they are slow, and only their order of
    // magnitude (time against a normal plan, peak memory) matters.
    const hostileRuns = Math.min(options.runs, HOSTILE_RUNS);
    const hostile = {} as Record<HostileName, HostileFigures>;
    for (const scenario of bench.hostile) {
      progress(`  hostile answer: ${scenario.label}`);
      const runs: Measured[] = [];
      for (let i = 0; i < hostileRuns; i++) runs.push(await measure(scenario));
      const ms = median(runs.map((r) => r.ms));
      hostile[scenario.name] = {
        label: scenario.label,
        runs: runs.length,
        medianMs: round1(ms),
        planRatio: round2(ms / figures.plan.medianMs),
        cpuMs: round1(median(runs.map((r) => r.cpuMs))),
        maxRssMB: round1(Math.max(...runs.map((r) => r.rssKb)) / 1024),
      };
    }

    const loadedByAction = [...new Set(['index.js', ...figures.validate.loadedFiles, ...figures.plan.loadedFiles, ...figures.apply.loadedFiles])];
    const results: BenchResults = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: { count: cpus().length, availableParallelism: availableParallelism(), model: cpus()[0]?.model.trim() ?? 'unknown' },
      memoryGB: round1(totalmem() / 1024 ** 3),
      loadAverage1m: { before: round2(loadBefore), after: round2(loadavg()[0] ?? 0) },
      dist: relative(root, dist) || '.',
      compileCache: options.compileCache,
      runs: options.runs,
      warmup: options.warmup,
      method: {
        timing: "wall time from spawn() to the child's exit; median of the timed runs, scenarios interleaved",
        fakes: 'server-side time of the loopback fakes (request start -> response finished, summed per run; median over runs)',
        resources:
          "process.resourceUsage() at exit, written by an --import preload: user + system CPU time of all threads, maxRSS (the kernel's ru_maxrss); a module load hook lists the files loaded",
      },
      scenarios: figures,
      firstPlanHttpCalls,
      hostile,
      build: {
        files: bundleFiles(dist),
        entrySha256: createHash('sha256')
          .update(readFileSync(join(dist, 'index.js')))
          .digest('hex')
          .slice(0, 16),
      },
      bytesByPackage: Object.fromEntries(loadedByAction.map((file) => [file, bytesByPackage(join(dist, file), root)])),
      targets: judge(figures, hostile),
    };
    if (options.profile) {
      results.profile = {};
      for (const scenario of scenarios.filter((s) => s.bundleDir !== undefined && s.name !== 'apply')) {
        progress(`  profiling ${scenario.name}`);
        results.profile[scenario.name] = await profileScenario(scenario.name, {
          root,
          bundleDir: scenario.bundleDir ?? dist,
          runs: 5,
          run: (nodeArgs) => measure(scenario, nodeArgs),
        });
      }
    }
    return results;
  } finally {
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
