import { PROBLEM_TYPE_BASE, type FieldError, type Problem } from '../core/problem.ts';

/**
 * Why a passkey ceremony did not finish in the browser:
 * - `cancelled`: the person closed the prompt, it timed out, or the authenticator refused
 *   (WebAuthn reports all of these as NotAllowedError, on purpose, for privacy);
 * - `already-registered`: this authenticator already holds a passkey for this account (InvalidStateError);
 * - `unsupported`: this browser or device cannot make the passkey that was asked for;
 * - `security`: the page is not allowed to use passkeys for this service (origin / RP ID mismatch);
 * - `passkey-failed`: anything else the authenticator reported.
 */
export type PasskeyErrorCode = 'cancelled' | 'already-registered' | 'unsupported' | 'security' | 'passkey-failed';

/** Every error the client throws is an OveraError with a machine-readable `code`. */
export class OveraError extends Error {
  /** Machine-readable reason; elements pick their message by it (see components/i18n). */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OveraError';
    this.code = code;
  }
}

/**
 * The server answered with an error status. `problem` is the RFC 9457 body (synthesised
 * from the status when the body was not problem+json); `code` is the problem type's slug
 * (`validation`, `invite-used`, `flow-expired`, `passkey-rejected`, …).
 */
export class OveraApiError extends OveraError {
  readonly status: number;
  readonly problem: Problem;
  /** Field-level errors (`problem.errors`), empty when the problem names no field. */
  readonly fieldErrors: readonly FieldError[];
  readonly requestId: string | undefined;

  constructor(problem: Problem) {
    super(problemCode(problem), problem.detail ?? problem.title, {});
    this.name = 'OveraApiError';
    this.status = problem.status;
    this.problem = problem;
    this.fieldErrors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }

  /** The first error reported for a field, if any. */
  fieldError(field: string): FieldError | undefined {
    return this.fieldErrors.find((e) => e.field === field);
  }
}

/** The server could not be reached (offline, DNS, CORS refusal, connection reset). */
export class OveraNetworkError extends OveraError {
  declare readonly code: 'network';

  constructor(cause: unknown) {
    super('network', 'The Overa server could not be reached', { cause });
    this.name = 'OveraNetworkError';
  }
}

/**
 * The server answers, but not to this page: its origin is not among the embedding origins
 * the server allows (`OVERA_ORIGINS`), so the browser refused the answer (CORS). A setting to
 * change on the server, not a failure to retry.
 */
export class OveraOriginError extends OveraError {
  declare readonly code: 'origin-not-allowed';
  /** The page's origin, the one to add to OVERA_ORIGINS. */
  readonly origin: string;
  /** The server's API base that refused it. */
  readonly server: string;

  constructor(origin: string, server: string, cause: unknown) {
    super('origin-not-allowed', `The Overa server at ${server} does not allow pages of ${origin} (OVERA_ORIGINS)`, { cause });
    this.name = 'OveraOriginError';
    this.origin = origin;
    this.server = server;
  }
}

/** A passkey ceremony (navigator.credentials.create / get) did not complete. */
export class OveraPasskeyError extends OveraError {
  declare readonly code: PasskeyErrorCode;
  /** The DOMException name the browser reported (NotAllowedError, InvalidStateError, …). */
  readonly domName: string;

  constructor(code: PasskeyErrorCode, domName: string, message: string, cause: unknown) {
    super(code, message, { cause });
    this.name = 'OveraPasskeyError';
    this.domName = domName;
  }
}

/** The slug of an Overa problem type, or `http-<status>` for anything else. */
export function problemCode(problem: Pick<Problem, 'type' | 'status'>): string {
  if (typeof problem.type === 'string' && problem.type.startsWith(PROBLEM_TYPE_BASE)) {
    const slug = problem.type.slice(PROBLEM_TYPE_BASE.length);
    if (slug) return slug;
  }
  return `http-${problem.status}`;
}

/**
 * Maps what the browser's WebAuthn (or @simplewebauthn/browser, where it runs) threw to an OveraPasskeyError.
 * @simplewebauthn/browser's WebAuthnError keeps the DOMException name in `name`.
 */
export function passkeyError(err: unknown): OveraPasskeyError {
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  let code: PasskeyErrorCode;
  switch (name) {
    case 'NotAllowedError':
    case 'AbortError':
      code = 'cancelled';
      break;
    case 'InvalidStateError':
      code = 'already-registered';
      break;
    case 'NotSupportedError':
    case 'ConstraintError':
      code = 'unsupported';
      break;
    case 'SecurityError':
      code = 'security';
      break;
    default:
      code = /not supported/i.test(message) ? 'unsupported' : 'passkey-failed';
  }
  return new OveraPasskeyError(code, name, message, err);
}

/**
 * A Problem from an error answer's status and (parsed) body: the body's fields when it is
 * problem+json, else one made from the status. Shared by fetch and XMLHttpRequest callers.
 */
export function problemFrom(status: number, statusText: string, body: unknown): Problem {
  const fallback: Problem = { type: 'about:blank', title: statusText || `HTTP ${status}`, status };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return fallback;
  const raw = body as Partial<Record<keyof Problem, unknown>>;
  const problem: Problem = {
    type: typeof raw.type === 'string' ? raw.type : fallback.type,
    title: typeof raw.title === 'string' ? raw.title : fallback.title,
    status: typeof raw.status === 'number' ? raw.status : status,
  };
  if (typeof raw.detail === 'string') problem.detail = raw.detail;
  if (typeof raw.instance === 'string') problem.instance = raw.instance;
  if (typeof raw.requestId === 'string') problem.requestId = raw.requestId;
  if (Array.isArray(raw.errors)) {
    problem.errors = raw.errors
      .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
      .map((e) => ({ field: String(e.field ?? ''), code: String(e.code ?? 'invalid'), message: String(e.message ?? '') }));
  }
  return problem;
}
