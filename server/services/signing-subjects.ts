/**
 * What can be signed with a passkey, and by whom: one entry per subject type. The signature
 * service (services/signatures.ts) knows nothing about applications, decisions or receptions;
 * a later issue adds its subject type here and the signing routes work for it unchanged.
 */
import type { JsonValue } from '../../components/core/canonical-json.ts';
import { DECISIONS, type DecisionKind } from '../../components/core/signing/decision.ts';
import type { FieldError } from '../../components/core/problem.ts';
import type { User } from '../../components/core/user.ts';
import { applications, type ApplicationRecord, type ApplicationStatus } from '../db/applications.ts';
import type { Conn } from '../db/connection.ts';
import { HttpError } from '../http-error.ts';
import { applicationDigest } from '../../components/core/signing/application.ts';
import { maySee } from './applications.ts';
import { decisionSubjectDigest, loadDecisionSubject, MAX_COMMENT, maySignDecision, type Authority, type DecisionSubject } from './workflow.ts';
import { RECEPTION_ACTIONS } from '../../components/core/signing/reception.ts';
import { loadReceptionSubject, MAX_REJECTION_REASON, maySignReception, receptionSubjectDigest, type ReceptionSubject } from './distribution.ts';

/**
 * What a signature covers beyond the stored subject, sent by the client with the options
 * (`context`) for the subject types that need it, and kept with the flow until signing.
 */
export type SigningContext = { [key: string]: JsonValue };

export interface SigningSubjectType<S> {
  /** The actions a person can sign on this type of subject. */
  readonly actions: readonly string[];
  /**
   * The subject as `user` may see it at `now`; undefined when it does not exist *or* the user
   * may not see it, so both answer the same 404 and nothing leaks.
   */
  load(conn: Conn, user: User, id: string, now: number): Promise<S | undefined>;
  /**
   * `true` when `user` may perform `action` on the subject now, else the reason why not (a
   * `403 not-allowed`), or the refusal itself when it is a problem of its own (a decision's
   * `409 four-eyes`).
   */
  mayAct(user: User, subject: S, action: string): true | string | HttpError;
  /**
   * For types whose signature covers more than what is stored (a decision's comment): reads the
   * `context` the client sent, throwing a 400 that names `context.<field>`. Types without it
   * take no context (sending one is a 400).
   */
  readContext?(raw: unknown): SigningContext;
  /** `sha256:` + base64url of what the signature covers: the subject's content as stored (and the context). */
  digest(subject: S, action: string, context: SigningContext | undefined): Promise<string>;
}

/** Erases the subject's type for the registry; each entry only ever sees what its own load() gave. */
function define<S>(type: SigningSubjectType<S>): SigningSubjectType<unknown> {
  return type as SigningSubjectType<unknown>;
}

function contextProblem(errors: FieldError[]): HttpError {
  return new HttpError(400, 'validation', 'The request is not valid', { detail: errors.map((e) => e.message).join('; '), errors });
}

const SUBMITTABLE: ReadonlySet<ApplicationStatus> = new Set(['draft', 'returned']);

const application = define<ApplicationRecord>({
  actions: ['submit'],
  async load(conn, user, id) {
    const a = await applications.get(conn, id);
    return a && maySee(user, a) ? a : undefined;
  },
  mayAct(user, a, action) {
    if (action !== 'submit') return `${action} is not an action on an application`;
    // Officials of the agency see the application, but only its owner applies.
    if (a.ownerId !== user.id) return 'Only the applicant signs an application';
    if (!SUBMITTABLE.has(a.status)) return `The application is ${a.status}: it can no longer be submitted`;
    return true;
  },
  digest: (a) => applicationDigest(a),
});

/**
 * An official's decision on a step of a case: subject id `${applicationId}:${stepId}`, action
 * the decision, context `{comment}`. The digest covers the application content, the step, the
 * decision and the comment (DecisionContent in core/signing/decision.ts), so the decision route
 * can recompute it from the request and the case as it is then.
 */
const decision = define<DecisionSubject>({
  actions: DECISIONS,
  load: (conn, user, id, now) => loadDecisionSubject(conn, user, id, now),
  mayAct: (user, s, action) => maySignDecision(user, s, action),
  readContext(raw) {
    if (raw === undefined || raw === null) return { comment: '' };
    if (typeof raw !== 'object' || Array.isArray(raw)) throw contextProblem([{ field: 'context', code: 'type', message: 'context must be an object {comment}' }]);
    const errors: FieldError[] = [];
    for (const key of Object.keys(raw).slice(0, 50)) {
      if (key !== 'comment') errors.push({ field: `context.${key}`, code: 'unknownField', message: `context.${key} is not a field of a decision` });
    }
    // Trimmed, and counted in characters, exactly as POST /cases/:id/decisions reads `comment`.
    const c = (raw as Record<string, unknown>).comment;
    let comment = '';
    if (c !== undefined && c !== null) {
      if (typeof c !== 'string') errors.push({ field: 'context.comment', code: 'type', message: 'context.comment must be a string' });
      else if ([...c.trim()].length > MAX_COMMENT) errors.push({ field: 'context.comment', code: 'tooLong', message: `context.comment must be at most ${MAX_COMMENT} characters` });
      else comment = c.trim();
    }
    if (errors.length) throw contextProblem(errors);
    return { comment };
  },
  // Only asked once maySignDecision passed, so `right` is an Authority here.
  digest: (s, action, context) =>
    decisionSubjectDigest(s.app, s.step.stepId, action as DecisionKind, typeof context?.comment === 'string' ? context.comment : '', s.right as Authority),
});

/**
 * A receiving agency's acknowledgement of a distributed document: subject id the reception's
 * id, action `accept`. Signed by an official of the receiving agency while it is pending; the
 * digest covers the document's id, its PDF's SHA-256 and the receiving agency
 * (ReceptionContent in core/signing/reception.ts). The issuing side may read the signature.
 */
const reception = define<ReceptionSubject>({
  actions: RECEPTION_ACTIONS,
  load: (conn, user, id) => loadReceptionSubject(conn, user, id),
  mayAct: (user, s, action) => maySignReception(user, s, action),
  // A rejection (of a partner's document, issue 19) signs its reason: context `{reason}`.
  readContext(raw) {
    if (raw === undefined || raw === null) return { reason: '' };
    if (typeof raw !== 'object' || Array.isArray(raw)) throw contextProblem([{ field: 'context', code: 'type', message: 'context must be an object {reason}' }]);
    const errors: FieldError[] = [];
    for (const key of Object.keys(raw).slice(0, 50)) {
      if (key !== 'reason') errors.push({ field: `context.${key}`, code: 'unknownField', message: `context.${key} is not a field of a reception` });
    }
    const r = (raw as Record<string, unknown>).reason;
    let reason = '';
    if (r !== undefined && r !== null) {
      if (typeof r !== 'string') errors.push({ field: 'context.reason', code: 'type', message: 'context.reason must be a string' });
      else if ([...r.trim()].length > MAX_REJECTION_REASON) errors.push({ field: 'context.reason', code: 'tooLong', message: `context.reason must be at most ${MAX_REJECTION_REASON} characters` });
      else reason = r.trim();
    }
    if (errors.length) throw contextProblem(errors);
    return { reason };
  },
  digest: (s, action, context) => receptionSubjectDigest(s, action, typeof context?.reason === 'string' ? context.reason : ''),
});

const SUBJECT_TYPES: Readonly<Record<string, SigningSubjectType<unknown>>> = { application, decision, reception };

/** The subject type named `type`, or undefined for one that cannot be signed. */
export function signingSubjectType(type: string): SigningSubjectType<unknown> | undefined {
  return Object.hasOwn(SUBJECT_TYPES, type) ? SUBJECT_TYPES[type] : undefined;
}

/** The names of the subject types, for error messages. */
export function signingSubjectTypes(): string[] {
  return Object.keys(SUBJECT_TYPES);
}
