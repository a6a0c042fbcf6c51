// Fails when dist/ is not what `npm run build` makes from the sources: a stale bundle would
// run other code than the sources that were reviewed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  const build = JSON.parse(readFileSync('package.json', 'utf8')).scripts.build;
  execFileSync('sh', ['-c', build.replaceAll('-o dist', `-o ${out}`)], { stdio: 'inherit' });
  const files = (dir) => readdirSync(dir, { recursive: true }).map(String).sort();
  const expected = files(out);
  const actual = files('dist');
  const problems = [];
  for (const file of new Set([...expected, ...actual])) {
    if (!expected.includes(file)) problems.push(`dist/${file} is not produced by the build (remove it)`);
    else if (!actual.includes(file)) problems.push(`dist/${file} is missing`);
    else if (!readFileSync(join(out, file)).equals(readFileSync(join('dist', file)))) problems.push(`dist/${file} differs from a fresh build`);
  }
  if (problems.length > 0) {
    console.error(`dist/ is stale:\n  ${problems.join('\n  ')}\nRun \`npm run build\` and commit dist/.`);
    process.exit(1);
  }
  console.log(`dist/ matches a fresh build (${expected.length} files).`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
