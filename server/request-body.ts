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
