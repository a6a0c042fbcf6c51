/**
 * A problem the user can fix (bad input, bad file, an API refusal). Its message is shown as is,
 * without a stack trace. Anything else that is thrown is a bug and is reported as one.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** Extra lines (one per problem) shown under the message in the summary. */
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

/** The action's inputs are wrong (or missing for the mode): nothing was read or sent. */
export class InputError extends UserError {
  override name = 'InputError';
}

/** A message for any thrown value, so a non-Error still fails the step with words. */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
