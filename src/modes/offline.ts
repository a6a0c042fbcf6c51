import { loadDesiredState, missingApiKey, type ModeResult, type OfflineRun } from './run.js';

/** Why a plan without the API key compares nothing, and what to do. */
const NO_KEY_WARNING =
  'The live account was not compared: the api-key input is empty. GitHub gives no secrets to pull requests from forks; the file was validated only. Otherwise, pass the LeadConduit API key as api-key: ${{ secrets.LEADCONDUIT_API_KEY }}.';
/** The same under the summary's headline, which says already that the file was validated and nothing compared. */
const NO_KEY_NOTE =
  'The api-key input is empty. GitHub gives no secrets to pull requests from forks; otherwise, pass the LeadConduit API key as api-key: ${{ secrets.LEADCONDUIT_API_KEY }}.';

/**
 * A run that sends nothing: mode validate, or any mode without the API key (a pull request from a
 * fork gets no secrets). The file is checked; a plan says it compared nothing, apply and check fail
 * for the missing key. It needs none of the clients, so none is loaded (main.ts).
 */
export async function offlineMode(run: OfflineRun): Promise<ModeResult> {
  const { mode } = run.settings;
  const desired = await loadDesiredState(run);
  const result: ModeResult = { outcome: 'validated', changes: [], notes: [], fileWarnings: desired.warnings };
  if (mode === 'validate') return result;
  if (mode === 'plan') {
    run.log.warning(NO_KEY_WARNING);
    return { ...result, notes: [NO_KEY_NOTE] };
  }
  throw missingApiKey(mode);
}
