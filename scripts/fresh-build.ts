/**
 * The build of the current sources: package.json's "build" script, pointed at a cache folder
 * instead of dist/. check-dist compares dist/ with it; the tests run it as the bundles users get
 * (never dist/ itself, which may be older than the sources being tested).
 *
 * ncc takes about 30 s of CPU, so a build is kept under a key made of everything it reads: src/,
 * package.json (the build script, the version), package-lock.json (what node_modules holds),
 * tsconfig.json and this file. Unchanged sources are not bundled twice; changed ones are never
 * run from an old bundle.
 *
 * Plain Node runs this file (type stripping): node: imports only, no TypeScript-only syntax.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules/.cache/fresh-build');
/** Builds kept: the current one and the few before it (a run started before an edit may still use one). */
const KEEP = 3;

/** A hash of every file the build reads. */
function sourcesKey(): string {
  const hash = createHash('sha256');
  const srcDir = join(ROOT, 'src');
  const sources = readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  const files = [...sources, ...['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/fresh-build.ts'].map((file) => join(ROOT, file))];
  for (const file of files.map((path) => relative(ROOT, path)).sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The build script with every path it writes ("dist", "dist/cli", "dist/cli.js") under `out`. */
function buildInto(out: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { build: string } };
  const outputPath = /(?<=\s)dist(?=[/\s]|$)/g;
  const build = pkg.scripts.build;
  if ((build.match(outputPath) ?? []).length === 0) throw new Error(`The build script writes no path under dist/, so it cannot be pointed elsewhere: ${build}`);
  return build.replace(outputPath, `'${out.replace(/'/g, `'\\''`)}'`);
}

function run(command: string, quiet: boolean): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`The build failed (exit ${code}):\n${output}`))));
  });
}

/**
 * The folder holding the build of the current sources (index.js, cli.js, cli/index.js, ...),
 * built now unless an identical build is kept. `quiet` keeps the build's own output to itself
 * unless it fails.
 */
export async function freshBuild({ quiet = false } = {}): Promise<string> {
  const key = sourcesKey();
  const done = join(CACHE, key);
  if (existsSync(done)) return done;
  mkdirSync(CACHE, { recursive: true });
  const out = mkdtempSync(join(CACHE, `${key}.building-`));
  try {
    await run(buildInto(out), quiet);
    // Atomic: a folder named after its key is always a complete build.
    renameSync(out, done);
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    // Another run built the same sources at the same time: its build is as good.
    if (existsSync(done)) return done;
    throw error;
  }
  const entries = readdirSync(CACHE).map((name) => ({ path: join(CACHE, name), mtimeMs: statSync(join(CACHE, name)).mtimeMs }));
  const builds = entries.filter(({ path }) => !path.includes('.building-')).sort((a, b) => b.mtimeMs - a.mtimeMs);
  // Half-made builds of a run that was killed, an hour on.
  const abandoned = entries.filter(({ path, mtimeMs }) => path.includes('.building-') && Date.now() - mtimeMs > 3_600_000);
  for (const { path } of [...builds.slice(KEEP), ...abandoned]) rmSync(path, { recursive: true, force: true });
  return done;
}
