import type { FieldError } from '../components/core/problem.ts';
import { agencyMidnight } from '../components/core/time-zone.ts';
import { cursorShaped } from './cursor.ts';
import { HttpError } from './http-error.ts';

/** Koa's `ctx.query`: each parameter as given, an array when it was repeated. */
export type ParsedQuery = Record<string, string | string[] | undefined>;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads the query parameters of a request, the twin of RequestBody: collects every parameter at
 * fault, then fails with one 400 problem+json (`validation`, `errors[]` naming each parameter).
 *
 * One way for every route: a parameter is given once (`type` when repeated; only `list()` takes
 * repeats), and a parameter that is there has a value (`?q=` is refused as `q`, not read as no
 * `q`). Values are taken as sent, not trimmed. Parameters no method asks for are ignored.
 */
export class RequestQuery {
  private readonly errors: FieldError[] = [];
  private readonly query: ParsedQuery;

  constructor(query: ParsedQuery) {
    this.query = query;
  }

  /**
   * A string of 1..max characters; undefined when absent. `valid` checks its form further,
   * failing with `code` and `message` (`invalid` and "<name> is not valid" by default).
   */
  string(name: string, options: { max: number; valid?: RegExp | ((value: string) => boolean); code?: string; message?: string }): string | undefined {
    const value = this.one(name);
    if (value === undefined) return undefined;
    const { valid } = options;
    if (valid !== undefined) {
      const ok = value !== '' && [...value].length <= options.max && (typeof valid === 'function' ? valid(value) : valid.test(value));
      return ok ? value : this.fail(name, options.code ?? 'invalid', options.message ?? `${name} is not valid`);
    }
    if (value === '') return this.fail(name, 'invalid', `${name} must not be empty`);
    if ([...value].length > options.max) return this.fail(name, 'tooLong', `${name} must be at most ${options.max} characters`);
    return value;
  }

  /** One of `values`; undefined when absent. */
  enum<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.one(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) return this.fail(name, 'invalid', `${name} must be one of: ${values.join(', ')}`);
    return value as T;
  }

  /** One or more of `values`, as `a,b` or the parameter repeated (or both); duplicates dropped; undefined when absent. */
  list<T extends string>(name: string, values: readonly T[]): T[] | undefined {
    const raw = this.value(name);
    if (raw === undefined) return undefined;
    // Spaces around an item are forgiven (`a, b`); an empty one is not (`a,`, `a&status=`).
    const items = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).map((s) => s.trim());
    if (items.some((s) => !(values as readonly string[]).includes(s))) {
      return this.fail(name, 'invalid', `${name} must be among: ${values.join(', ')}`);
    }
    return [...new Set(items)] as T[];
  }

  /** A whole number in [min, max], in plain digits (no sign, exponent or fraction); `default` when absent. */
  integer(name: string, options: { min: number; max: number; default: number }): number;
  integer(name: string, options: { min: number; max: number; default?: undefined }): number | undefined;
  integer(name: string, options: { min: number; max: number; default?: number | undefined }): number | undefined {
    const value = this.one(name);
    if (value === undefined) return options.default;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < options.min || n > options.max) {
      this.fail(name, 'range', `${name} must be a whole number from ${options.min} to ${options.max}`);
      return options.default;
    }
    return n;
  }

  /**
   * An instant, as epoch ms: a calendar day `YYYY-MM-DD` in the agency's time zone (its first
   * instant, or with `end` the first instant of the day after, so that the whole day is
   * included), or an ISO date-time with its offset. Undefined when absent.
   */
  date(name: string, options: { end?: boolean } = {}): number | undefined {
    const value = this.one(name);
    if (value === undefined) return undefined;
    const day = DAY.exec(value);
    if (day) {
      const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
      const check = new Date(Date.UTC(y, m - 1, d));
      if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return this.fail(name, 'date', `${name} is not a real date`);
      return agencyMidnight(y, m, options.end ? d + 1 : d);
    }
    if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return Date.parse(value);
    return this.fail(name, 'date', `${name} must be a date (YYYY-MM-DD) or a date-time with its offset`);
  }

  /** The opaque `cursor` of a keyset-paged list, as sent; the service decodes it (server/cursor.ts). Undefined when absent. */
  cursor(): string | undefined {
    const value = this.one('cursor');
    if (value === undefined) return undefined;
    return cursorShaped(value) ? value : this.fail('cursor', 'invalid', 'cursor is not one this server gave out');
  }

  /** Adds an error found by the route itself (one parameter against another): reported with the rest by done(). */
  invalid(name: string, code: string, message: string): void {
    this.fail(name, code, message);
  }

  /** Throws the collected parameter errors, if any. Call after reading every parameter. */
  done(): void {
    if (this.errors.length > 0) {
      throw new HttpError(400, 'validation', 'The request is not valid', {
        detail: this.errors.map((e) => e.message).join('; '),
        errors: this.errors,
      });
    }
  }

  /** The single value of `name`, or undefined when absent (a repeated parameter is an error, and undefined). */
  private one(name: string): string | undefined {
    const value = this.value(name);
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return this.fail(name, 'type', `${name} must be given once`);
    return value;
  }

  /** Own parameters only: `?` without `constructor` must not read Object.prototype's. */
  private value(name: string): string | string[] | undefined {
    return Object.hasOwn(this.query, name) ? this.query[name] : undefined;
  }

  private fail(name: string, code: string, message: string): undefined {
    this.errors.push({ field: name, code, message });
    return undefined;
  }
}
