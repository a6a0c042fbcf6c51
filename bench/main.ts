// npm run bench: the built action (dist/index.js) timed against two floors in the same run (see
// bench/README.md). Prints the figures and writes them to bench/results.json.
//
// Options: --runs N         timed rounds (15), after --warmup N (3) rounds that are not counted
//          --out FILE       where to write (bench/results.json; for --dist or --compile-cache: bench-results/, git-ignored)
//          --no-write       print only
//          --profile        also CPU-profile validate, plan and their floors: where the time goes
//          --dist DIR       measure another build (a candidate) instead of dist/
//          --compile-cache  run the action with a warm NODE_COMPILE_CACHE: what a V8 code cache gives at best
//          --check          exit 1 when a target is missed
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatResults } from './report.js';
import { runBench } from './run.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    warmup: { type: 'string', default: '3' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    dist: { type: 'string', default: join(ROOT, 'dist') },
    'compile-cache': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});

function count(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, not ${value}`);
  return n;
}

const dist = resolve(opts.dist);
if (!existsSync(join(dist, 'index.js'))) {
  console.error(`bench: ${relative(process.cwd(), dist)}/index.js is missing; run \`npm run build\` first.`);
  process.exit(2);
}
const results = await runBench({
  root: ROOT,
  dist,
  runs: count(opts.runs, 'runs', 1),
  warmup: count(opts.warmup, 'warmup', 0),
  profile: opts.profile,
  compileCache: opts['compile-cache'],
  progress: (text) => process.stderr.write(`${text}\n`),
});
console.log(formatResults(results));

// Only the committed build's figures go to bench/results.json; a candidate's or a variant's to bench-results/.
const variant = dist !== join(ROOT, 'dist') || opts['compile-cache'];
const out =
  opts.out ??
  (variant
    ? join(ROOT, 'bench-results', `results-${basename(dist)}${opts['compile-cache'] ? '-compile-cache' : ''}.json`)
    : join(ROOT, 'bench', 'results.json'));
if (!opts['no-write']) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${relative(process.cwd(), out)}`);
}
if (opts.check && results.targets.some((t) => !t.ok)) process.exitCode = 1;
