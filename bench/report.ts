// The bench's figures as text for the terminal.
import type { Profile } from './profile.js';
import type { BenchResults } from './run.js';
import type { HttpCalls } from './scenarios.js';
import { kb } from './stats.js';

function table(rows: (string | number)[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return rows
    .map((r, ri) => r.map((c, i) => (i === 0 || ri === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

const callText = (c: HttpCalls) => `${c.leadconduit.total} LC + ${c.github.total} GH`;
const byRoute = (c: HttpCalls) => `LeadConduit ${JSON.stringify(c.leadconduit.byRoute)}  GitHub ${JSON.stringify(c.github.byRoute)}`;
const ratio = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(2)}x`);

export function formatResults(r: BenchResults): string {
  const lines: string[] = [];
  lines.push(
    `leadconduit-account-action bench: ${r.date}, node ${r.node}, ${r.cpus.count} x ${r.cpus.model}, ${r.runs} runs of each after ${r.warmup} warm-up rounds`,
    '',
    table([
      ['scenario', 'median ms', 'x floor', 'x bare', 'min ms', 'p90 ms', 'fakes ms', 'CPU ms', 'x floor (CPU)', 'max RSS MB', 'loaded KB', 'HTTP calls'],
      ...Object.values(r.scenarios).map((f) => [
        f.floor ? `${f.label} / ${f.floor}` : f.label,
        f.medianMs,
        ratio(f.ratio),
        ratio(f.bareRatio),
        f.minMs,
        f.p90Ms,
        f.fakesMs || '',
        f.cpuMs,
        ratio(f.cpuRatio),
        f.maxRssMB,
        f.loadedBytes ? kb(f.loadedBytes) : '',
        f.loadedBytes ? callText(f.httpCalls) : '',
      ]),
    ]),
    `(x floor: median / the floor's median, in this run; x bare: median / node -e ''; CPU ms: user + system, median; loaded KB: the bundle's files node read)`,
  );
  const cores = r.cpus.count;
  if (Math.max(r.loadAverage1m.before, r.loadAverage1m.after) > cores / 2) {
    lines.push(
      `Note: the machine was busy (1-min load ${r.loadAverage1m.before} -> ${r.loadAverage1m.after} on ${cores} cores): absolute times are inflated, the ratios less so.`,
    );
  }

  lines.push('', 'HTTP calls by route:');
  for (const [name, f] of Object.entries(r.scenarios))
    if (f.loadedBytes && f.httpCalls.leadconduit.total + f.httpCalls.github.total > 0) lines.push(`  ${name.padEnd(11)} ${byRoute(f.httpCalls)}`);
  lines.push(`  first plan on a PR (creates the comment): ${byRoute(r.firstPlanHttpCalls)}`);

  lines.push(
    '',
    'Hostile answers (a plan whose server answers far too much; each run must fail with a clear error):',
    table([
      ['answer', 'runs', 'median ms', 'x plan', 'CPU ms', 'max RSS MB (highest)'],
      ...Object.values(r.hostile).map((h) => [h.label, h.runs, h.medianMs, ratio(h.planRatio), h.cpuMs, h.maxRssMB]),
    ]),
  );

  const kbList = (files: Record<string, number>) =>
    Object.entries(files)
      .map(([f, b]) => `${f} ${kb(b)} KB`)
      .join(', ');
  lines.push('', `${r.dist}/: ${kbList(r.build.files)}`);
  for (const [name, f] of Object.entries(r.scenarios))
    if (f.loadedFiles.length > 0)
      lines.push(`  ${name.padEnd(11)} loads ${kb(f.loadedBytes)} KB: ${f.loadedFiles.join(', ')}${f.nodeUndici ? "; and Node's own undici" : ''}`);
  lines.push('', `Bytes by package in ${r.dist}/ (largest first):`);
  for (const [file, rows] of Object.entries(r.bytesByPackage)) {
    const shown = rows.slice(0, 9).map(([p, b]) => `${p} ${kb(b)} KB`);
    lines.push(`  ${file}: ${shown.join(', ')}${rows.length > 9 ? ', ...' : ''}`);
  }
  for (const [name, profile] of Object.entries(r.profile ?? {})) lines.push('', ...formatProfile(name, profile));
  lines.push('', `Timing: ${r.method.timing}. Resources: ${r.method.resources}.`);
  lines.push('', 'Targets:', ...r.targets.map((t) => `  ${t.ok ? 'MET ' : 'MISS'}  ${t.target}: ${t.value}`));
  return lines.join('\n');
}

function formatProfile(name: string, profile: Profile): string[] {
  const lines = [`Where ${name}'s time goes (${profile.note}); span ${profile.meanSpanMs} ms:`];
  for (const [k, v] of Object.entries(profile.phases)) lines.push(`  ${String(v).padStart(6)} ms  ${k}`);
  lines.push('  JavaScript running, by bundled package (incl. the node internals it calls):');
  for (const [k, v] of Object.entries(profile.byPackage).slice(0, 12)) {
    const internals = profile.inNodeInternalsCalledBy[k];
    lines.push(`    ${String(v).padStart(6)} ms  ${k}${internals ? ` (${internals} ms of it in node internals)` : ''}`);
  }
  return lines;
}
