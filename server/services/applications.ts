import { randomInt, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../../components/core/user.ts';
import type { ApplicationSummary, ApplicationView, ApplicationWithHistory, Page } from '../../components/core/api.ts';
import type { FieldError } from '../../components/core/problem.ts';
import type { ApplicationData, FormDefinition } from '../../components/core/forms/definition.ts';
import { validateApplication, type ValidationIssue } from '../../components/core/forms/validate.ts';
import { applicationDigest } from '../../components/core/signing/application.ts';
import { AGENCY_TIME_ZONE } from '../../components/core/time-zone.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';
// Server-side English messages for the validator's issue codes (i18n is DOM-free).
import { issueToFieldError } from '../../components/i18n/form-messages.ts';
import { applications, type ApplicationRecord, type ApplicationStatus } from '../db/applications.ts';
import type { Conn } from '../db/connection.ts';
import { auditLog } from '../db/audit-log.ts';
import { documents } from '../db/documents.ts';
import { uploads, type UploadRecord } from '../db/uploads.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import { webhookEvent } from './webhooks.ts';
import { notifyApplicant } from './mail.ts';
import { dueOnSubmission } from './deadlines.ts';
import { claimSignature } from './signature-claims.ts';
import type { Deps } from './deps.ts';
import { mayUseForm, type FormRegistry } from './forms.ts';
import { startLine } from './workflow.ts';
import { feeOf, feeStates } from './fees.ts';

export type { ApplicationView };

export interface ApplicationInput {
  formId: string;
  formVersion: number;
  data: unknown;
  attachments?: unknown;
}

const EDITABLE: ReadonlySet<ApplicationStatus> = new Set(['draft', 'returned']);

const iso = (ms: number) => new Date(ms).toISOString();

/** Field errors point into the request body: `data.<field>`. */
function toProblem(issues: ValidationIssue[], def: FormDefinition): HttpError {
  const errors: FieldError[] = issues.map((issue) => {
    const e = issueToFieldError(issue, 'en', def);
    return { ...e, field: issue.field === '' ? 'data' : `data.${issue.field}` };
  });
  return new HttpError(400, 'validation', 'The application is not valid', { detail: errors.map((e) => e.message).join('; '), errors });
}

/**
 * The definition an application is validated against: the version it was started on. A version
 * this instance has not seen yet (published on another instance a moment ago) makes it look in
 * the database again, on the transaction's own connection.
 */
async function formOf(forms: FormRegistry, trx: Knex.Transaction, formId: string, formVersion: number): Promise<FormDefinition> {
  if (!forms.get(formId, formVersion)) await forms.refresh({ force: true, conn: trx });
  const def = forms.get(formId, formVersion);
  if (!def) {
    throw forms.get(formId)
      ? invalidField('formVersion', 'unknown', `Form "${formId}" has no version ${formVersion}`)
      : invalidField('formId', 'unknown', `There is no form "${formId}"`);
  }
  return def;
}

/**
 * A new application starts on the form's latest version, and not on a retired form (410):
 * whoever loaded an older version before a publish is told to load the form again (409).
 */
function mayStartWith(forms: FormRegistry, def: FormDefinition): void {
  if (forms.retired(def.id)) {
    throw new HttpError(410, 'form-retired', 'This form is no longer in use', {
      detail: `Form "${def.id}" was retired: it takes no new applications (those started continue)`,
    });
  }
  const latest = forms.get(def.id)!.version;
  if (def.version !== latest) {
    throw new HttpError(409, 'form-version-superseded', 'The form has changed', {
      detail: `Form "${def.id}" is now at version ${latest}; load it again and start on that version`,
      errors: [{ field: 'formVersion', code: 'superseded', message: `the form is now at version ${latest}` }],
    });
  }
}

/**
 * The upload ids the file fields' answers refer to, in field order, with their field. Works on
 * raw request data too (before validation), so it guards types and bounds what it reads.
 */
// The schema's most files per field (form-definition.schema.json, maxFiles); longer arrays are invalid anyway.
const MAX_FILES_PER_FIELD = 100;

function fileAnswers(def: FormDefinition, data: unknown): { id: string; field: string }[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const out: { id: string; field: string }[] = [];
  for (const field of def.fields) {
    const value = (data as Record<string, unknown>)[field.name];
    if (field.type !== 'file' || !Array.isArray(value) || value.length > MAX_FILES_PER_FIELD) continue;
    for (const id of value) if (typeof id === 'string' && id.length <= 64) out.push({ id, field: field.name });
  }
  return out;
}

/**
 * Validates application data with the one validator in core, against the applicant's own
 * uploads only (anybody else's id is "unknownUpload"). `attachments`, when sent, must list
 * exactly the uploads the file fields refer to.
 */
async function checkData(
  conn: Conn,
  def: FormDefinition,
  owner: User,
  input: { data: unknown; attachments?: unknown },
  mode: 'draft' | 'submit',
  now: number,
): Promise<{ data: ApplicationData; attachments: string[] }> {
  const owned = await uploads.listOwned(conn, owner.id, fileAnswers(def, input.data).map((r) => r.id));
  const lookup: Record<string, { size: number; mediaType: string }> = {};
  for (const u of owned) lookup[u.id] = { size: u.size, mediaType: u.mediaType };
  const result = validateApplication(def, input.data, { uploads: lookup, mode, today: belgradeDate(now) });
  if (!result.ok) throw toProblem(result.issues, def);
  const attachments = fileAnswers(def, result.data).map((r) => r.id);
  if (input.attachments !== undefined) {
    const sent = input.attachments;
    if (!Array.isArray(sent) || sent.some((s) => typeof s !== 'string') || new Set(sent).size !== sent.length
      || sent.length !== attachments.length || !attachments.every((id) => (sent as string[]).includes(id))) {
      throw invalidField('attachments', 'mismatch', 'attachments must list exactly the uploads referred to by the file fields');
    }
  }
  return { data: result.data, attachments };
}

// Built once: constructing a time-zone formatter cost 8% of a create + submit.
const BELGRADE_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: AGENCY_TIME_ZONE });

/** Today in Serbia as YYYY-MM-DD, for the validator's "today" date bounds. */
function belgradeDate(now: number): string {
  return BELGRADE_DATE.format(new Date(now));
}

// Unambiguous letters and digits: tracking numbers are read out on the phone.
const TRACKING_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

async function newTrackingNumber(trx: Knex.Transaction, agencyId: string, now: number): Promise<string> {
  const prefix = agencyId.split('-').map((w) => w[0]!.toUpperCase()).join('').slice(0, 4);
  for (;;) {
    let random = '';
    for (let i = 0; i < 6; i++) random += TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)];
    const number = `${prefix}-${new Date(now).getUTCFullYear()}-${random}`;
    if (!(await applications.trackingNumberTaken(trx, number))) return number;
  }
}

/** An application as the API shows it; `forOfficials` adds what only officials see (who marked the fee paid). */
export async function view(conn: Conn, forms: FormRegistry, a: ApplicationRecord, forOfficials = false): Promise<ApplicationView> {
  const def = forms.get(a.formId, a.formVersion);
  const refs = def ? fileAnswers(def, a.data) : a.attachments.map((id) => ({ id, field: '' }));
  const byId = new Map<string, UploadRecord>((await uploads.listOwned(conn, a.ownerId, a.attachments)).map((u) => [u.id, u]));
  return {
    id: a.id,
    trackingNumber: a.trackingNumber,
    formId: a.formId,
    formVersion: a.formVersion,
    agencyId: a.agencyId,
    ownerId: a.ownerId,
    status: a.status,
    data: a.data,
    attachments: refs.flatMap(({ id, field }) => {
      const u = byId.get(id);
      return u ? [{ id, field, sha256: u.sha256, size: u.size, mediaType: u.mediaType, filename: u.filename }] : [];
    }),
    signatureId: a.signatureId,
    returnComment: a.returnComment,
    version: a.version,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    submittedAt: a.submittedAt === null ? null : iso(a.submittedAt),
    ...(a.status === 'issued' ? { documentId: (await documents.currentForApplication(conn, a.id))?.id ?? null } : {}),
    ...(await feeOf(conn, def, a, forOfficials)),
  };
}

/** Creates a draft. Drafts may be incomplete (no `required` checks) but never wrong. */
export async function createDraft(deps: Deps, trx: Knex.Transaction, user: User, input: ApplicationInput): Promise<ApplicationView> {
  const { forms } = deps;
  const def = await formOf(forms, trx, input.formId, input.formVersion);
  if (!mayUseForm(user, def)) {
    throw new HttpError(403, 'not-allowed', 'This form is for officials of its agency', {
      detail: `"${def.id}" drafts internal documents of ${def.agencyId}; citizens and other agencies cannot use it`,
    });
  }
  mayStartWith(forms, def);
  const now = deps.now();
  const checked = await checkData(trx, def, user, input, 'draft', now);
  const record: ApplicationRecord = {
    id: randomUUID(),
    trackingNumber: await newTrackingNumber(trx, def.agencyId, now),
    formId: def.id,
    formVersion: def.version,
    agencyId: def.agencyId,
    ownerId: user.id,
    status: 'draft',
    data: checked.data,
    attachments: checked.attachments,
    signatureId: null,
    returnComment: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    submittedAt: null,
  };
  await applications.insert(trx, record);
  // An internal document records its author as its drafter (an official), not as an applicant.
  const origin: { [key: string]: JsonValue } = def.audience === 'internal' ? { origin: 'internal', drafter: { id: user.id, displayName: user.displayName } } : {};
  await appendAudit(trx, { actor: user.id, action: 'application.created', subject: { type: 'application', id: record.id }, data: { formId: def.id, formVersion: def.version, ...origin } }, now);
  return view(trx, forms, record);
}

/** An application its owner may change now, at the version the client saw (If-Match). */
async function ownEditable(trx: Knex.Transaction, user: User, id: string, ifMatch: number | undefined): Promise<ApplicationRecord> {
  const a = await applications.get(trx, id);
  if (!a || a.ownerId !== user.id) throw notFound();
  if (ifMatch !== undefined && ifMatch !== a.version) {
    throw new HttpError(412, 'version-mismatch', 'The application changed since you loaded it', {
      detail: `You sent If-Match for version ${ifMatch}; it is now at version ${a.version}. Load it again.`,
    });
  }
  if (!EDITABLE.has(a.status)) {
    throw new HttpError(409, 'not-editable', 'This application can no longer be changed', { detail: `It is ${a.status}` });
  }
  return a;
}

async function save(trx: Knex.Transaction, a: ApplicationRecord, change: Parameters<typeof applications.update>[3]): Promise<ApplicationRecord> {
  if (!(await applications.update(trx, a.id, a.version, change))) {
    throw new HttpError(409, 'conflict', 'The application was changed at the same time', { detail: 'Load it again and retry' });
  }
  // The compare-and-set succeeded, so the row is exactly this: no need to read it back (the due
  // date is not part of the record).
  const { updatedAt, due: _due, ...rest } = change;
  return { ...a, ...rest, updatedAt, version: a.version + 1 };
}

/** Replaces a draft's (or a returned application's) answers. */
export async function updateDraft(
  deps: Deps, trx: Knex.Transaction, user: User, id: string,
  input: { data: unknown; attachments?: unknown }, ifMatch?: number,
): Promise<ApplicationView> {
  const { forms } = deps;
  const a = await ownEditable(trx, user, id, ifMatch);
  const def = await formOf(forms, trx, a.formId, a.formVersion);
  const now = deps.now();
  const checked = await checkData(trx, def, user, input, 'draft', now);
  const saved = await save(trx, a, { data: checked.data, attachments: checked.attachments, updatedAt: now });
  await appendAudit(trx, { actor: user.id, action: 'application.updated', subject: { type: 'application', id }, data: { version: saved.version } }, now);
  return view(trx, forms, saved);
}

/**
 * Submits a draft, or resubmits a returned application: everything is validated again, the
 * signature (when given) must be the owner's, for submitting exactly this content, and unused;
 * the status, the signature's use, the content digest and the audit entry commit in one
 * transaction.
 */
export async function submit(
  deps: Deps, trx: Knex.Transaction, user: User, id: string,
  input: { signatureId?: string }, ifMatch?: number,
): Promise<ApplicationView> {
  const { forms } = deps;
  const a = await ownEditable(trx, user, id, ifMatch);
  const def = await formOf(forms, trx, a.formId, a.formVersion);
  const now = deps.now();
  await checkData(trx, def, user, { data: a.data }, 'submit', now);
  const digest = await applicationDigest(a);
  if (input.signatureId === undefined && def.signature.required) {
    throw invalidField('signatureId', 'required', 'This form must be signed with a passkey before it is submitted');
  }
  // A form that does not require a signature may still carry one; it is checked all the same.
  const signature = input.signatureId === undefined ? undefined
    : await claimSignature(trx, { id: input.signatureId, user, subject: { type: 'application', id }, action: 'submit', digest }, now);
  const resubmitted = a.status === 'returned';
  // A resubmission without a signature drops the earlier one: it covered content since changed.
  // The clock of the legal deadline starts (or runs again) with the submission: stored by the same UPDATE (services/deadlines.ts).
  const due = await dueOnSubmission(deps, trx, a, now, resubmitted);
  const saved = await save(trx, a, { status: 'submitted', submittedAt: now, returnComment: null, signatureId: signature?.id ?? null, updatedAt: now, ...(due ? { due } : {}) });
  await appendAudit(
    trx,
    {
      actor: user.id,
      action: resubmitted ? 'application.resubmitted' : 'application.submitted',
      subject: { type: 'application', id },
      data: { digest, version: saved.version, ...(signature ? { signatureId: signature.id } : {}) },
    },
    now,
  );
  // The approval line starts (again, after a return) in the same transaction.
  await startLine(deps, trx, saved, def, user);
  // Agency systems that subscribed (services/webhooks.ts): ids and states, no answers.
  await webhookEvent(deps, trx, 'application.submitted', [saved.agencyId], {
    applicationId: id, trackingNumber: saved.trackingNumber, formId: saved.formId, status: saved.status, resubmitted,
  });
  // The applicant's e-mail, if they confirmed an address (services/mail.ts).
  await notifyApplicant(deps, trx, saved.ownerId, { kind: 'received', applicationId: id, trackingNumber: saved.trackingNumber });
  return view(trx, forms, saved);
}

function notFound(): HttpError {
  // The same answer whether it does not exist or is somebody else's: nothing leaks.
  return new HttpError(404, 'application-not-found', 'There is no such application');
}

/**
 * Who may see an application: its owner; once it has been sent, also the officials and admins
 * of the handling agency. A draft is the applicant's alone (as a case is nobody's until it is sent).
 */
export function maySee(user: User, a: ApplicationRecord): boolean {
  if (a.ownerId === user.id) return true;
  return a.status !== 'draft' && user.kind !== 'citizen' && user.agencyId === a.agencyId;
}

export async function getWithHistory(deps: Deps, user: User, id: string): Promise<ApplicationWithHistory> {
  const { forms } = deps;
  const a = await applications.get(deps.db, id);
  if (!a || !maySee(user, a)) throw notFound();
  const history = (await auditLog.forSubject(deps.db, 'application', id)).map((e) => ({
    at: iso(e.at),
    action: e.action,
    actor: e.actor,
    data: JSON.parse(e.data) as Record<string, unknown>,
  }));
  return { ...(await view(deps.db, forms, a)), history };
}

/** The signed-in user's applications, newest first, keyset-paged with an opaque cursor. */
export async function listMine(deps: Deps, user: User, options: { limit: number; cursor?: string }): Promise<Page<ApplicationSummary>> {
  let after: { createdAt: number; id: string } | undefined;
  if (options.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(options.cursor, ['integer', 'id']);
    after = { createdAt, id };
  }
  const rows = await applications.listByOwner(deps.db, user.id, options.limit + 1, after);
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  const fees = await feeStates(deps.db, deps.forms, page);
  return {
    items: page.map((a) => {
      const fee = fees.get(a.id);
      return {
        id: a.id, trackingNumber: a.trackingNumber, formId: a.formId, formVersion: a.formVersion, status: a.status,
        createdAt: iso(a.createdAt), updatedAt: iso(a.updatedAt), submittedAt: a.submittedAt === null ? null : iso(a.submittedAt),
        ...(fee ? { fee: fee.state } : {}),
      };
    }),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
  };
}
