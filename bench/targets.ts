// The targets of issue 12, judged on one run's figures. Time targets are ratios to a floor timed in
// the same run; the others are counts.
import type { HostileName, HttpCalls, ScenarioName } from './scenarios.js';
import { KB, kb } from './stats.js';

export interface Target {
  target: string;
  value: string;
  ok: boolean;
  /** Judged on time, which a busy machine blurs (the smoke run ignores these). */
  timing: boolean;
}

export interface Judged {
  ratio?: number;
  cpuRatio?: number;
  loadedBytes: number;
  httpCalls: HttpCalls;
}

const routes = (c: HttpCalls['leadconduit']) => JSON.stringify(c.byRoute);

/** A hostile answer may cost the limit it is read up to (8 or 32 MB) and some, never the answer. */
const HOSTILE_MAX_RSS_MB = 200;

export function judge(s: Record<ScenarioName, Judged>, hostile: Record<HostileName, { label: string; maxRssMB: number }>): Target[] {
  const ratio = (name: ScenarioName) => `${s[name].ratio?.toFixed(2)}x (CPU ${s[name].cpuRatio?.toFixed(2)}x)`;
  const { validate, plan, apply } = s;
  return [
    { target: 'validate <= 0.90x the core barrel floor', value: ratio('validate'), ok: (validate.ratio ?? Infinity) <= 0.9, timing: true },
    { target: 'validate <= 0.80x the core barrel floor (stretch)', value: ratio('validate'), ok: (validate.ratio ?? Infinity) <= 0.8, timing: true },
    { target: 'plan <= 1.05x the plan floor', value: ratio('plan'), ok: (plan.ratio ?? Infinity) <= 1.05, timing: true },
    { target: 'validate loads <= 600 KB at start', value: `${kb(validate.loadedBytes)} KB`, ok: validate.loadedBytes <= 600 * KB, timing: false },
    {
      target: 'validate makes no HTTP call',
      value: `${validate.httpCalls.leadconduit.total} LeadConduit + ${validate.httpCalls.github.total} GitHub`,
      ok: validate.httpCalls.leadconduit.total + validate.httpCalls.github.total === 0,
      timing: false,
    },
    {
      target: 'plan: 1 LeadConduit call (GET /account), <= 3 GitHub calls once the comment exists',
      value: `LeadConduit ${routes(plan.httpCalls.leadconduit)}, GitHub ${routes(plan.httpCalls.github)}`,
      ok: plan.httpCalls.leadconduit.total === 1 && plan.httpCalls.leadconduit.byRoute['GET /account'] === 1 && plan.httpCalls.github.total <= 3,
      timing: false,
    },
    {
      target: 'apply: LeadConduit GET /account + PUT /account',
      value: `LeadConduit ${routes(apply.httpCalls.leadconduit)}`,
      ok:
        apply.httpCalls.leadconduit.total === 2 &&
        apply.httpCalls.leadconduit.byRoute['GET /account'] === 1 &&
        apply.httpCalls.leadconduit.byRoute['PUT /account'] === 1,
      timing: false,
    },
    ...Object.values(hostile).map((h) => ({
      target: `a hostile answer (${h.label}): a clear error, at most ${HOSTILE_MAX_RSS_MB} MB of memory`,
      value: `${h.maxRssMB} MB`,
      ok: h.maxRssMB <= HOSTILE_MAX_RSS_MB,
      timing: false,
    })),
  ];
}
