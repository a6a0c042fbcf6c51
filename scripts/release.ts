// The release workflow's decisions (.github/workflows/release.yml), run on Node 24 with
// `node --import ./scripts/register-ts.mjs scripts/release.ts`:
//   check <tag> <owner/name>   print the release notes from CHANGELOG.md, or every reason not to release (exit 1)
//   major-tag <tag>            print the major tag to move (v1), or nothing; the existing tags come on stdin
//   tarball                    print the name of the file `npm pack` writes, which the release attaches
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRelease, majorTagToMove, tarballName } from './release-lib.js';

const root = join(import.meta.dirname, '..');
const [command, tag = '', repository = ''] = process.argv.slice(2);

if (command === 'check') {
  const { problems, notes } = checkRelease({
    tag,
    repository,
    packageJson: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
    changelog: readFileSync(join(root, 'CHANGELOG.md'), 'utf8'),
    readme: readFileSync(join(root, 'README.md'), 'utf8'),
  });
  if (problems.length > 0) {
    for (const problem of problems) console.error(`::error::${problem}`);
    process.exit(1);
  }
  console.log(notes);
} else if (command === 'major-tag') {
  const tags = readFileSync(0, 'utf8').split('\n');
  console.log(majorTagToMove(tag, tags) ?? '');
} else if (command === 'tarball') {
  console.log(tarballName(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string }));
} else {
  console.error('usage: release.ts check <tag> <owner/name> | major-tag <tag> (existing tags on stdin) | tarball');
  process.exit(2);
}
