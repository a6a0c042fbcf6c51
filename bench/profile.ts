// --profile: where a scenario's time goes. CPU profiles (node --cpu-prof at 100 µs; the default
// 1 ms is too coarse for a process this short) of a few runs; each sample goes to a phase, and the
// bundled JavaScript running it to the package it belongs to (bundle.ts finds module boundaries).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleModules } from './bundle.js';
import { round1 } from './stats.js';

export interface Profile {
  note: string;
  meanSpanMs: number;
  /** mean ms per run, largest first */
  phases: Record<string, number>;
  byPackage: Record<string, number>;
  /** of byPackage: the time in node internals called by that package's code */
  inNodeInternalsCalledBy: Record<string, number>;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Profiles `runs` runs of a scenario (`run` starts one with the extra node arguments) of the bundle in `bundleDir`. */
export async function profileScenario(
  name: string,
  options: { root: string; bundleDir: string; runs: number; run: (nodeArgs: string[]) => Promise<unknown> },
): Promise<Profile> {
  const { root, bundleDir, runs } = options;
  const dir = join(root, 'bench-results', 'profiles', name.replace(/\W+/g, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < runs; i++) await options.run(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100']);

  const owners = new Map<string, string[]>();
  /** Which package each line of a bundle file belongs to. */
  const ownerOf = (path: string): string[] => {
    let owner = owners.get(path);
    if (owner) return owner;
    owner = [];
    const modules = existsSync(path) ? bundleModules(path, root) : [];
    for (const [k, m] of modules.entries()) {
      // A frame's line is where its function starts: a factory of concatenated ES modules starts
      // on the factory's line, and runs the top-level code of all of them.
      const concatenated = m.id !== '' && modules[k + 1]?.id === m.id && m.name === undefined;
      const label = concatenated ? `top-level code of concatenated ES modules (module ${m.id})` : m.package;
      for (let line = m.firstLine; line <= m.lastLine; line++) owner[line] = label;
    }
    owners.set(path, owner);
    return owner;
  };
  const add = (o: Record<string, number>, key: string, ms: number) => (o[key] = (o[key] ?? 0) + ms);
  const phases: Record<string, number> = {};
  const packages: Record<string, number> = {};
  const builtinsBy: Record<string, number> = {};
  let span = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const inBundle = (cf: CallFrame) => cf.url.startsWith('file:') && fileURLToPath(cf.url).startsWith(`${bundleDir}/`);
  for (const file of files) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    span += (p.endTime - p.startTime) / 1000;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (const [i, sample] of p.samples.entries()) {
      const ms = (p.timeDeltas[i] ?? 0) / 1000;
      const stack: CallFrame[] = [];
      for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
        const frame = nodes.get(id)?.callFrame;
        if (frame) stack.push(frame);
      }
      const top = stack[0];
      if (!top) continue;
      const bundled = stack.find(inBundle);
      let phase: string;
      if (['(garbage collector)', '(program)', '(idle)'].includes(top.functionName)) phase = top.functionName;
      else if (stack.some((cf) => cf.functionName === 'compileSourceTextModule') || ['decodeUTF8', 'read'].includes(top.functionName))
        phase = 'read + compile the bundle files';
      else if (bundled) phase = 'bundled JavaScript (module evaluation and the run), incl. node internals it calls';
      else phase = 'node internals with no bundle frame on the stack (bootstrap, I/O callbacks)';
      add(phases, phase, ms);
      if (bundled && !phase.startsWith('(') && !phase.startsWith('read')) {
        const path = fileURLToPath(bundled.url);
        const pkg = ownerOf(path)[bundled.lineNumber + 1] ?? '?';
        const key = path === join(bundleDir, 'index.js') ? pkg : `${pkg} [${relative(bundleDir, path)}]`;
        add(packages, key, ms);
        if (top.url.startsWith('node:')) add(builtinsBy, key, ms);
      }
    }
  }
  const perRun = (o: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(o)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, round1(v / files.length)]),
    );
  return {
    note: `node --cpu-prof --cpu-prof-interval 100 on ${files.length} runs; mean ms per run; profiling slows a run, so compare shares, not ms with the table; profiles in ${relative(root, dir)}/`,
    meanSpanMs: round1(span / files.length),
    phases: perRun(phases),
    byPackage: perRun(packages),
    inNodeInternalsCalledBy: perRun(builtinsBy),
  };
}
