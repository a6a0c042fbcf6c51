// Fails when dist/ is not what `npm run build` makes from the sources: a stale bundle would
// run other code than the sources that were reviewed. dist/ holds two bundles: the action
// (dist/index.js, what action.yml runs) and the command line (dist/cli/index.js, loaded by the
// package.json "bin" dist/cli.js, which the build writes too).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshBuild } from './fresh-build.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// The build script, pointed at a cache folder; kept when the tests already built these sources.
const out = await freshBuild();
const files = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
const expected = files(out);
const actual = files('dist');
const problems = [];
for (const file of new Set([...expected, ...actual])) {
  if (!expected.includes(file)) problems.push(`dist/${file} is not produced by the build (remove it)`);
  else if (!actual.includes(file)) problems.push(`dist/${file} is missing`);
  else if (!readFileSync(join(out, file)).equals(readFileSync(join('dist', file)))) problems.push(`dist/${file} differs from a fresh build`);
}

// Both bundles are there, and each entry point is the one its user starts.
const main = 'dist/index.js';
const bins = typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : { ...pkg.bin };
for (const file of [main, 'dist/cli/index.js', ...Object.values(bins)]) {
  if (!expected.includes(file.replace(/^(\.\/)?dist\//, ''))) problems.push(`${file} is not produced by the build`);
}
for (const [name, file] of Object.entries(bins)) {
  const text = readFileSync(join(out, file.replace(/^(\.\/)?dist\//, '')), 'utf8');
  if (!text.startsWith('#!/usr/bin/env node\n')) problems.push(`the bin ${name} (${file}) does not start with "#!/usr/bin/env node"`);
}
// The action's bundle must not carry the command line (nor its argument parser).
for (const file of expected.filter((f) => !f.includes('/') && f.endsWith('.js') && !Object.values(bins).includes(`dist/${f}`))) {
  const text = readFileSync(join(out, file), 'utf8');
  for (const marker of ['CommanderError', 'Refusing to apply without confirmation']) {
    if (text.includes(marker)) problems.push(`dist/${file} (the action's bundle) contains command-line code ("${marker}")`);
  }
}

if (problems.length > 0) {
  console.error(`dist/ is stale:\n  ${problems.join('\n  ')}\nRun \`npm run build\` and commit dist/.`);
  process.exit(1);
}
console.log(`dist/ matches a fresh build (${expected.length} files: the action's bundle and the command line's).`);
