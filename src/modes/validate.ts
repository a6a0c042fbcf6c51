import { loadDesiredState, type ModeResult, type Run } from './run.js';

/** Validate (mode: validate): the file only; no network. */
export async function validateMode(run: Run): Promise<ModeResult> {
  const desired = await loadDesiredState(run);
  return { outcome: 'validated', changes: [], notes: [], fileWarnings: desired.warnings };
}
