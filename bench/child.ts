import { spawn } from 'node:child_process';

export interface ChildRun {
  /** Wall time from spawn() to the child's exit, as seen by this process. */
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns `command args` and resolves when it has exited and its output is read. */
export function runChild(command: string, args: readonly string[], env: Record<string, string>, cwd: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ms = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', () => (ms = Number(process.hrtime.bigint() - t0) / 1e6));
    child.on('close', (code) => resolve({ ms, code, stdout, stderr }));
  });
}

/**
 * A preload (node --import) that writes, at exit, process.resourceUsage() (user + system CPU of
 * all of node's threads, and maxRSS) and the files node loaded (a module load hook). Its own cost,
 * one tiny module and a hook, is in every run alike, the bare node's too.
 */
export function resourcePreload(usageFile: string): string {
  return [
    "import { writeFileSync } from 'node:fs';",
    "import { registerHooks } from 'node:module';",
    'const files = new Set();',
    "registerHooks({ load(url, context, next) { if (url.startsWith('file:')) files.add(url); return next(url, context); } });",
    "process.on('exit', () => {",
    '  const u = process.resourceUsage();',
    // Node's own copy of undici, behind the fetch globals, is a builtin: no load hook sees it.
    "  const nodeUndici = process.moduleLoadList.includes('NativeModule internal/deps/undici/undici');",
    `  writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify({ cpuUs: u.userCPUTime + u.systemCPUTime, maxRssKb: u.maxRSS, files: [...files], nodeUndici }));`,
    '});',
  ].join('\n');
}

/** What resourcePreload() wrote. */
export interface Usage {
  cpuUs: number;
  maxRssKb: number;
  /** file: URLs */
  files: string[];
  /** Whether Node loaded its own copy of undici (the fetch globals' first use). */
  nodeUndici: boolean;
}
