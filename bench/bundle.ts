// What a bundle is made of: ncc (webpack) names concatenated ES modules in the bundle
// (`;// CONCATENATED MODULE: ./node_modules/...`) but only numbers CommonJS modules, so those are
// matched line by line against the files of the installed runtime dependencies. A minified bundle
// matches nothing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BundleModule {
  /** webpack's module id ('' for the runtime) */
  id: string;
  /** The name the bundle gives it, when it gives one. */
  name?: string;
  /** The package it comes from ("src" for ours). */
  package: string;
  bytes: number;
  firstLine: number;
  lastLine: number;
}

/** The package a module path belongs to. */
function packageOf(name: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
  if (m?.[1]) return m[1];
  if (name.startsWith('./src/')) return 'src';
  if (name.startsWith('external ')) return 'node builtins';
  return name.startsWith('webpack/') ? 'webpack runtime' : name;
}

/** The modules of an ncc bundle file, in order. `root`: the project, whose runtime dependencies identify CommonJS modules. */
export function bundleModules(path: string, root: string): BundleModule[] {
  const modules: (Omit<BundleModule, 'package'> & { lines: string[] })[] = [];
  let lineNumber = 0;
  const start = (id: string, name: string | undefined) => {
    const module = { id, name, bytes: 0, lines: [] as string[], firstLine: lineNumber + 1, lastLine: lineNumber + 1 };
    modules.push(module);
    return module;
  };
  let current = start('', 'webpack runtime');
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    lineNumber++;
    let m: RegExpExecArray | null;
    if ((m = /^\/\*\*\*\/ (\d+):$/.exec(line))) current = start(m[1] ?? '', undefined);
    else if ((m = /^;\/\/ CONCATENATED MODULE: (.*)$/.exec(line))) current = start(current.id, m[1]);
    else if ((/^\/\*{72,80}\/$/.test(line) || line.startsWith('/******/ ')) && current.name !== 'webpack runtime') current = start('', 'webpack runtime');
    current.bytes += Buffer.byteLength(line) + 1;
    current.lines.push(line);
    current.lastLine = lineNumber;
  }
  return modules
    .filter((m) => m.bytes > 0)
    .map(({ lines, ...m }) => {
      const text = lines.join('\n');
      const external = /__WEBPACK_EXTERNAL_createRequire\(import\.meta\.url\)\("([^"]+)"\)|module\.exports = require\("([^"]+)"\)/.exec(text);
      const name = m.name ?? (external && lines.length < 12 ? `external "${external[1] ?? external[2]}"` : undefined);
      return { ...m, name, package: name === undefined ? identify(lines, root) : packageOf(name) };
    });
}

/** line -> package, over the JavaScript files of the runtime dependencies; built on first use. */
let lineIndex: Map<string, string> | undefined;

/** The package most of a CommonJS module's distinctive lines come from. */
function identify(lines: readonly string[], root: string): string {
  lineIndex ??= indexDependencies(root);
  const votes = new Map<string, number>();
  for (const raw of lines) {
    const line = raw.trim();
    if (line.length < 30 || line.includes('__nccwpck_require__') || line.includes('__webpack_')) continue;
    const pkg = lineIndex.get(line);
    if (pkg) votes.set(pkg, (votes.get(pkg) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : 'unidentified CommonJS';
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** package.json "dependencies", transitively, found the way node looks them up. */
function indexDependencies(root: string): Map<string, string> {
  const index = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string): void => {
    // The nearest node_modules up from the dependent package.
    let pkgDir: string | undefined;
    for (let dir = fromDir; dir.startsWith(root); dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        pkgDir = candidate;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    if (pkgDir === undefined || seen.has(pkgDir)) return;
    seen.add(pkgDir);
    for (const file of readdirSync(pkgDir, { recursive: true }).map(String)) {
      if (!/\.[cm]?js$/.test(file) || file.startsWith('node_modules/') || file.includes('/node_modules/')) continue;
      let text: string;
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
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Manifest;
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, pkgDir);
  };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, root);
  return index;
}

/** Bytes per package of a bundle file, largest first. */
export function bytesByPackage(path: string, root: string): [string, number][] {
  const totals = new Map<string, number>();
  for (const m of bundleModules(path, root)) totals.set(m.package, (totals.get(m.package) ?? 0) + m.bytes);
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** The JavaScript files of a build folder, relative to it, with their bytes. */
export function bundleFiles(dir: string): Record<string, number> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => /\.[cm]?js$/.test(f) && statSync(join(dir, f)).isFile())
      .sort()
      .map((f) => [f, statSync(join(dir, f)).size]),
  );
}
