/**
 * Answers are read up to a cap, far above anything real, and no further: a hostile or broken
 * server streaming gigabytes must end in a clear message, not in a runner out of memory.
 */
import { formatBytes } from './wording.js';

/** A LeadConduit account is a few KB; this is a thousand times that. */
export const MAX_LEADCONDUIT_ANSWER_BYTES = 8 * 1024 * 1024;
/** A page of 100 comments at GitHub's largest (65,536 characters each) stays under this. */
export const MAX_GITHUB_ANSWER_BYTES = 32 * 1024 * 1024;

export class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError';
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`the answer was larger than ${formatBytes(limitBytes)}; it was not read further`);
    this.limitBytes = limitBytes;
  }
}

/** The body as text, or AnswerTooLargeError as soon as it passes `limit` bytes (the rest is never read). */
export async function readCapped(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new AnswerTooLargeError(limit);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || value === undefined) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLargeError(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * The same response with a body that errors once it passes `limit` bytes, for a client that
 * reads bodies itself (octokit); `onTooLarge` hears of it even where that client swallows the error.
 */
export function cappedResponse(response: Response, limit: number, onTooLarge: (error: AnswerTooLargeError) => void): Response {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    const error = new AnswerTooLargeError(limit);
    onTooLarge(error);
    void response.body?.cancel().catch(() => undefined);
    throw error;
  }
  if (!response.body) return response;
  // A declared length frames the body (the HTTP parser reads no more than it), so an answer
  // declared within the limit needs no count, unless it is compressed: fetch inflates it, and
  // the inflated body can be any size.
  const encoding = response.headers.get('content-encoding');
  if (Number.isFinite(declared) && response.headers.has('content-length') && (encoding === null || encoding === 'identity')) return response;
  let size = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) {
          const error = new AnswerTooLargeError(limit);
          onTooLarge(error);
          controller.error(error);
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
