import { PROBLEM_TYPE_BASE, type FieldError } from '../components/core/problem.ts';

/**
 * The one error type routes and services throw; the error middleware turns it into
 * application/problem+json. `type` is a short slug appended to PROBLEM_TYPE_BASE.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: string,
    title: string,
    options: {
      detail?: string;
      errors?: FieldError[];
      /** Seconds after which trying again may succeed (429, 503, a 409 in flight): a fact of the rule, worded as `Retry-After`. */
      retryAfter?: number;
      /** Other HTTP headers of the answer: for routes and middleware; services say `retryAfter`. */
      headers?: Record<string, string>;
    } = {},
  ) {
    super(options.detail ?? title);
    this.status = status;
    this.type = PROBLEM_TYPE_BASE + type;
    this.title = title;
    this.errors = options.errors;
    this.headers = { ...options.headers, ...(options.retryAfter !== undefined ? { 'Retry-After': String(Math.max(0, Math.ceil(options.retryAfter))) } : {}) };
  }
}

/** 400 with one field at fault: the common case of request validation. */
export function invalidField(field: string, code: string, message: string): HttpError {
  return new HttpError(400, 'validation', 'The request is not valid', {
    detail: message,
    errors: [{ field, code, message }],
  });
}
