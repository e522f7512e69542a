import { invalidField, type HttpError } from './http-error.ts';

/**
 * Opaque keyset cursors, the one format of every keyset-paged list (`GET applications`,
 * `inbox`, `reception`, `audit`): the sort key of a page's last row, e.g. `[submittedAt, id]`,
 * as base64url of its JSON. Clients pass `nextCursor` back as `cursor` and never look inside.
 */

/** Longer than any cursor this server gives out (a safe integer, a 64-character id and the JSON around them: 114). */
export const MAX_CURSOR_LENGTH = 200;

/** What one position of a keyset holds: a safe integer (a time in ms, a sequence number) or an id of 1–64 printable ASCII characters. */
export type CursorPart = 'integer' | 'id';

/** The decoded keyset for a shape: `['integer', 'id']` → `[number, string]`. */
export type CursorKey<S extends readonly CursorPart[]> = { -readonly [K in keyof S]: S[K] extends 'integer' ? number : string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ID = /^[\x21-\x7e]{1,64}$/;

/** The 400 for every cursor that is not one this server gave out. */
export function badCursor(): HttpError {
  return invalidField('cursor', 'invalid', 'cursor is not one this server gave out');
}

/** A `cursor` query value that could be a cursor at all (RequestQuery.cursor checks this before any decoding). */
export function cursorShaped(cursor: string): boolean {
  return cursor.length <= MAX_CURSOR_LENGTH && BASE64URL.test(cursor);
}

export function encodeCursor(key: readonly (number | string)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The keyset a cursor holds, checked against `shape`: 400 (`validation` on `cursor`) for
 * anything that is not exactly what `encodeCursor` makes of such a key — wrong length, not
 * base64url, not JSON, other types, an unsafe integer, a re-encoding that differs — so a
 * crafted cursor can never reach a query as something it was not meant to be.
 */
export function decodeCursor<const S extends readonly CursorPart[]>(cursor: string, shape: S): CursorKey<S> {
  if (!cursorShaped(cursor)) throw badCursor();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(key) || key.length !== shape.length) throw badCursor();
  const fits = shape.every((part, i) => {
    const v: unknown = key[i];
    return part === 'integer' ? Number.isSafeInteger(v) : typeof v === 'string' && ID.test(v);
  });
  // Canonical only: the same key always has the one cursor, and nothing else decodes to it.
  if (!fits || encodeCursor(key as (number | string)[]) !== cursor) throw badCursor();
  return key as CursorKey<S>;
}
