/**
 * A problem the user can fix (bad input, bad file, an API refusal). Its message is shown as is,
 * without a stack trace. Anything else that is thrown is a bug and is reported as one.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** Extra lines (one per problem) shown under the message in the summary. */
  readonly details: readonly string[];
  /**
   * How a report shows it, where the message's first clause and the rest do not do (report.ts
   * failureText): the verdict's short sentence, and the explanation under it, which does not say
   * that sentence again. The message stays the whole one line, for logs and the terminal.
   */
  readonly verdict: Verdict | undefined;

  constructor(message: string, details: readonly string[] = [], verdict?: Verdict) {
    super(message);
    this.details = details;
    this.verdict = verdict;
  }
}

/** A failure as a report shows it: the verdict's one short sentence, and what goes under it. */
export interface Verdict {
  reason: string;
  detail: string;
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
