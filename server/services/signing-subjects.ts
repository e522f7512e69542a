/**
 * What can be signed with a passkey, and by whom: one entry per subject type. The signature
 * service (services/signatures.ts) knows nothing about applications, decisions or receptions;
 * a later issue adds its subject type here and the signing routes work for it unchanged.
 */
import type { Knex } from 'knex';
import type { User } from '../../components/core/user.ts';
import { applications, type ApplicationRecord, type ApplicationStatus } from '../db/applications.ts';
import type { Db } from '../db/connection.ts';
import { contentDigest, maySee } from './applications.ts';

type Conn = Db | Knex.Transaction;

export interface SigningSubjectType<S> {
  /** The actions a person can sign on this type of subject. */
  readonly actions: readonly string[];
  /**
   * The subject as `user` may see it; undefined when it does not exist *or* the user may not
   * see it, so both answer the same 404 and nothing leaks.
   */
  load(conn: Conn, user: User, id: string): Promise<S | undefined>;
  /** `true` when `user` may perform `action` on the subject now, else the reason why not. */
  mayAct(user: User, subject: S, action: string): true | string;
  /** `sha256:` + base64url of the subject's content as stored: what the signature covers. */
  digest(subject: S): Promise<string>;
}

/** Erases the subject's type for the registry; each entry only ever sees what its own load() gave. */
function define<S>(type: SigningSubjectType<S>): SigningSubjectType<unknown> {
  return type as SigningSubjectType<unknown>;
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
  digest: (a) => contentDigest(a),
});

const SUBJECT_TYPES: Readonly<Record<string, SigningSubjectType<unknown>>> = { application };

/** The subject type named `type`, or undefined for one that cannot be signed. */
export function signingSubjectType(type: string): SigningSubjectType<unknown> | undefined {
  return Object.hasOwn(SUBJECT_TYPES, type) ? SUBJECT_TYPES[type] : undefined;
}

/** The names of the subject types, for error messages. */
export function signingSubjectTypes(): string[] {
  return Object.keys(SUBJECT_TYPES);
}
