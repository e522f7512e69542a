/**
 * Optimistic concurrency over HTTP for versioned resources (applications, cases): the ETag is
 * the row's version, and a change carries it back in If-Match.
 */
import type { ParameterizedContext } from 'koa';
import { invalidField } from './http-error.ts';

/** `If-Match: "3"` (or W/"3", or 3) → 3; absent → undefined. */
export function ifMatch(ctx: ParameterizedContext): number | undefined {
  const header = ctx.get('If-Match');
  if (!header) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) throw invalidField('If-Match', 'invalid', 'If-Match must be the version (ETag) you loaded, e.g. "3"');
  return Number(m[1]);
}

/** The ETag of a version. */
export const etag = (version: number): string => `"${version}"`;
