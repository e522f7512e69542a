import { OveraApiError, OveraError } from '../client/errors.ts';

/** A failure as an element shows it: the error code (its words come from `problem.<code>`) and the request id for support. */
export interface ShownProblem {
  readonly code: string;
  readonly requestId?: string | undefined;
}

/**
 * What went wrong, for the error summary. The client's errors carry a code; anything else is
 * a bug of ours, logged with the element's name (`who`) and shown as "Something went wrong".
 */
export function toProblem(err: unknown, who: string): ShownProblem {
  if (err instanceof OveraApiError) return { code: err.code, requestId: err.requestId };
  if (err instanceof OveraError) return { code: err.code };
  console.error(`${who}:`, err);
  return { code: 'unknown' };
}
