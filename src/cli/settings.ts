import { UserError } from '../errors.js';
import { DEFAULT_BASE_URL, checkBaseUrl } from '../base-url.js';

/** The only place the CLI takes the API key from: never a flag, which would land in shell history. */
export const API_KEY_VARIABLE = 'LEADCONDUIT_API_KEY';

export function readApiKey(env: NodeJS.ProcessEnv, command: string): string {
  const key = (env[API_KEY_VARIABLE] ?? '').trim();
  if (key === '') {
    throw new UserError(
      `${API_KEY_VARIABLE} is empty: ${command} reads the live account and needs the LeadConduit API key. Set it in the environment (export ${API_KEY_VARIABLE}=...); it is never taken as a flag. Nothing was sent.`,
    );
  }
  return key;
}

/** --base-url by the action's base-url rule: the URL to use, or a UserError saying what is wrong. */
export function parseBaseUrlOption(raw: string | undefined): string {
  const { url, problem } = checkBaseUrl((raw ?? '').trim() || DEFAULT_BASE_URL, '--base-url', API_KEY_VARIABLE);
  if (problem) throw new UserError(problem);
  return url;
}
