import type { FieldError } from '../components/core/problem.ts';
import { HttpError } from './http-error.ts';

/**
 * 400 for a body that is JSON but not an object (an array, `null`, a number, a string, a boolean):
 * every Overa request body is an object. The field at fault is the body itself (`''`).
 */
export function notAnObject(body: unknown): HttpError {
  const kind = body === undefined ? '; none was sent' : `, not ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}`;
  return new HttpError(400, 'validation', 'The request is not valid', {
    detail: `The body must be a JSON object${kind}`,
    errors: [{ field: '', code: 'type', message: 'Expected a JSON object' }],
  });
}

/**
 * Refuses, with 400, a parsed JSON value nested deeper than MAX_DEPTH (`too-deeply-nested`) or
 * holding a lone surrogate or NUL in a string or key (`invalid-text`): for every JSON body
 * (middleware/json-body.ts) and for JSON that arrives another way (an exchange message's
 * multipart fields).
 */
export function refuseUnreadable(value: unknown): void {
  const { depth, loneSurrogate } = inspect(value, MAX_DEPTH);
  if (depth > MAX_DEPTH) {
    throw new HttpError(400, 'too-deeply-nested', 'The request body is nested too deeply', {
      detail: `No Overa request nests JSON more than ${MAX_DEPTH} levels deep`,
    });
  }
  if (loneSurrogate) {
    throw new HttpError(400, 'invalid-text', 'The request body contains text that is not valid Unicode', {
      detail: 'A \\uD800–\\uDFFF escape without its pair is not a character (RFC 8785 canonical JSON refuses it), and \\u0000 is not text (PostgreSQL refuses it)',
    });
  }
}

/**
 * Deeper than any Overa request needs. Refused here, once, so that no recursive code further
 * on (canonical JSON, request hashes, validators) can be driven into a stack overflow.
 */
const MAX_DEPTH = 64;

/** A UTF-16 surrogate without its pair: JSON can carry it as an escape, but it is not text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Not text: a lone surrogate, or NUL (which no Overa field needs and PostgreSQL cannot store in text). */
const NOT_TEXT = new RegExp(`${LONE_SURROGATE.source}|\\u0000`);

/**
 * One iterative walk over a parsed body: its nesting depth (only up to `stopAfter` + 1) and
 * whether any string or key holds a lone surrogate (which would make canonical JSON, and so
 * every digest and the audit chain, throw further on).
 */
function inspect(value: unknown, stopAfter: number): { depth: number; loneSurrogate: boolean } {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (NOT_TEXT.test(v)) return { depth: max, loneSurrogate: true };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) {
      max = depth + 1;
      if (max > stopAfter) return { depth: max, loneSurrogate: false };
    }
    if (Array.isArray(v)) {
      for (const child of v) stack.push([child, depth + 1]);
    } else {
      for (const [key, child] of Object.entries(v as object)) {
        if (NOT_TEXT.test(key)) return { depth: max, loneSurrogate: true };
        stack.push([child, depth + 1]);
      }
    }
  }
  return { depth: max, loneSurrogate: false };
}

/**
 * Reads fields of a JSON request body, collecting every field at fault before failing
 * with one 400 problem+json. (Request shapes only; form data has its own validator in core.)
 */
export class RequestBody {
  private readonly errors: FieldError[] = [];
  private readonly body: Record<string, unknown>;

  constructor(body: unknown) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw notAnObject(body);
    this.body = body as Record<string, unknown>;
  }

  /** A string, trimmed, of 1..max characters. */
  string(field: string, options: { max: number; optional?: false }): string;
  string(field: string, options: { max: number; optional: true }): string | undefined;
  string(field: string, options: { max: number; optional?: boolean }): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) {
      if (!options.optional) this.fail(field, 'required', `${field} is required`);
      return undefined;
    }
    if (typeof value !== 'string') return this.fail(field, 'type', `${field} must be a string`);
    const trimmed = value.trim();
    if (trimmed === '') {
      if (!options.optional) this.fail(field, 'required', `${field} is required`);
      return undefined;
    }
    if ([...trimmed].length > options.max) return this.fail(field, 'tooLong', `${field} must be at most ${options.max} characters`);
    return trimmed;
  }

  /** A whole number in [min, max]. */
  integer(field: string, options: { min: number; max: number }): number | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return this.fail(field, 'required', `${field} is required`);
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(field, 'type', `${field} must be a whole number`);
    if (value < options.min || value > options.max) return this.fail(field, 'range', `${field} must be between ${options.min} and ${options.max}`);
    return value;
  }

  /** true or false (nothing else: not "true", not 1). */
  boolean(field: string): boolean | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return this.fail(field, 'required', `${field} is required`);
    if (typeof value !== 'boolean') return this.fail(field, 'type', `${field} must be true or false`);
    return value;
  }

  /** Any value, present or not, for a validator that checks it in depth. */
  raw(field: string): unknown {
    return this.body[field];
  }

  /** Fails on every key not in `known`: a typo in a field name is an error, not ignored. */
  only(known: readonly string[]): void {
    for (const key of Object.keys(this.body).slice(0, 50)) {
      if (!known.includes(key)) this.fail(key, 'unknownField', `${key} is not a field of this request`);
    }
  }

  /** A JSON object, passed through for a library to check in depth. */
  object(field: string): Record<string, unknown> | undefined {
    const value = this.body[field];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.fail(field, value === undefined ? 'required' : 'type', `${field} must be an object`);
    }
    return value as Record<string, unknown>;
  }

  /** Throws the collected field errors, if any. Call after reading every field. */
  done(): void {
    if (this.errors.length > 0) {
      throw new HttpError(400, 'validation', 'The request is not valid', {
        detail: this.errors.map((e) => e.message).join('; '),
        errors: this.errors,
      });
    }
  }

  private fail(field: string, code: string, message: string): undefined {
    this.errors.push({ field, code, message });
    return undefined;
  }
}
