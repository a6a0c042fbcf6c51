// The floors are bundles of committed entry files (bench/floors/*.ts), built with the same ncc
// and target as dist/. A build takes seconds, so each is kept in bench-results/floors/ (git-ignored)
// under a hash of everything it is made from: its entry, package-lock.json and ncc's version.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const FLOORS = {
  'core barrel': 'core-barrel.ts',
  'plan floor': 'plan-floor.ts',
} as const;
export type FloorName = keyof typeof FLOORS;

/** Builds (or finds already built) each floor; resolves with the folder of each bundle. */
export async function buildFloors(root: string, log: (line: string) => void = () => {}): Promise<Record<FloorName, string>> {
  const ncc = join(root, 'node_modules', '@vercel', 'ncc');
  const nccVersion = (JSON.parse(readFileSync(join(ncc, 'package.json'), 'utf8')) as { version: string }).version;
  const lock = readFileSync(join(root, 'package-lock.json'));
  const build = async (name: FloorName): Promise<[FloorName, string]> => {
    const entry = join(root, 'bench', 'floors', FLOORS[name]);
    const hash = createHash('sha256').update(readFileSync(entry)).update(lock).update(nccVersion).digest('hex').slice(0, 12);
    const out = join(root, 'bench-results', 'floors', `${FLOORS[name].replace(/\.ts$/, '')}-${hash}`);
    if (!existsSync(join(out, 'index.js'))) {
      log(`bench: building the ${name} bundle (ncc bench/floors/${FLOORS[name]})`);
      // Built next to its place and renamed into it, so a bench running at the same time never reads half a build.
      const building = `${out}.${process.pid}`;
      // --transpile-only: the typecheck covers these files; a full check of the project here would take half a minute.
      await promisify(execFile)(
        process.execPath,
        [join(ncc, 'dist', 'ncc', 'cli.js'), 'build', entry, '-o', building, '--target', 'es2024', '-q', '--transpile-only'],
        { cwd: root },
      );
      if (existsSync(join(out, 'index.js'))) {
        rmSync(building, { recursive: true, force: true });
      } else {
        rmSync(out, { recursive: true, force: true });
        renameSync(building, out);
      }
    }
    return [name, out];
  };
  return Object.fromEntries(await Promise.all((Object.keys(FLOORS) as FloorName[]).map(build))) as Record<FloorName, string>;
}
