/**
 * The JSON Schemas (2020-12) of what the API exchanges, as `components.schemas` of the OpenAPI
 * document. They follow the TypeScript types both sides use — components/core/api.ts,
 * documents.ts, report.ts, problem.ts, user.ts, signing/payload.ts — and the route code. Answers
 * are left open (`additionalProperties` unset) so that a field added later does not break a
 * client that validates; request bodies that the server reads with `RequestBody.only()` are
 * closed, as the server refuses unknown fields there.
 */
import { readFileSync } from 'node:fs';
import { DECISIONS } from '../../components/core/signing/decision.ts';
import { AGENCY_TIME_ZONE } from '../../components/core/time-zone.ts';
import { ref, type Schema } from './common.ts';
import { WEBHOOK_EVENTS } from '../services/webhooks.ts';

const string = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const dateTime = (description?: string): Schema => string(description, { format: 'date-time' });
const integer = (description?: string, extra: Schema = {}): Schema => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
const object = (required: string[], properties: Record<string, Schema>, extra: Schema = {}): Schema => ({ type: 'object', required, properties, ...extra });
const array = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
const HEX_SHA256 = { pattern: '^[0-9a-f]{64}$' };
const DIGEST = { pattern: '^sha256:[A-Za-z0-9_-]{43}$' };

const APPLICATION_STATUSES = ['draft', 'submitted', 'in_review', 'approved', 'issued', 'returned', 'rejected'];
const STEP_KINDS = ['review', 'agree', 'approve'];
const INDICATIONS = ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'];

/** The form definition format's own schema (components/core/forms/form-definition.schema.json), embedded with its `$id`. */
function formDefinitionSchema(): Schema {
  const schema = JSON.parse(readFileSync(new URL('../../components/core/forms/form-definition.schema.json', import.meta.url), 'utf8')) as Schema;
  // An embedded resource keeps its $id (its "#/$defs/…" references resolve against it); the
  // dialect is the document's (jsonSchemaDialect), so `$schema` goes.
  delete schema.$schema;
  return schema;
}

/** WebAuthn options as @simplewebauthn/server builds them for `navigator.credentials.create()`. */
const creationOptions = object(['challenge', 'rp', 'user', 'pubKeyCredParams'], {
  challenge: string('base64url'),
  rp: object(['name'], { name: string(), id: string() }),
  user: object(['id', 'name', 'displayName'], { id: string('base64url'), name: string(), displayName: string() }),
  pubKeyCredParams: array(object(['alg', 'type'], { alg: integer('COSE algorithm: -7 ES256, -257 RS256'), type: { const: 'public-key' } })),
  timeout: integer(),
  excludeCredentials: array({ type: 'object' }),
  authenticatorSelection: { type: 'object' },
  attestation: string(),
  extensions: { type: 'object' },
}, { description: 'PublicKeyCredentialCreationOptionsJSON: pass to `navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(…)})`' });

/** … and for `navigator.credentials.get()`. */
const requestOptions = object(['challenge'], {
  challenge: string('base64url'),
  timeout: integer(),
  rpId: string(),
  allowCredentials: array(object(['id', 'type'], { id: string('base64url'), type: { const: 'public-key' }, transports: array(string()) })),
  userVerification: { enum: ['required', 'preferred', 'discouraged'] },
  extensions: { type: 'object' },
}, { description: 'PublicKeyCredentialRequestOptionsJSON: pass to `navigator.credentials.get()`' });

/** What `PublicKeyCredential.toJSON()` gives (RegistrationResponseJSON / AuthenticationResponseJSON). */
const credential = (response: Schema, description: string): Schema =>
  object(['id', 'rawId', 'response', 'type'], {
    id: string('base64url credential id'),
    rawId: string('base64url'),
    response,
    type: { const: 'public-key' },
    clientExtensionResults: { type: 'object' },
    authenticatorAttachment: string(),
  }, { description });

const reportReason = object(['code'], { code: string('Stable kebab-case code, e.g. `challenge-mismatch`'), detail: string() });

export const SCHEMAS: Record<string, Schema> = {
  Problem: object(['type', 'title', 'status'], {
    type: string('`https://overa.dev/problems/<slug>`, e.g. …/validation, …/not-found', { format: 'uri' }),
    title: string(),
    status: integer('The HTTP status', { minimum: 400, maximum: 599 }),
    detail: string(),
    instance: string('The request path', { format: 'uri-reference' }),
    errors: array(ref('FieldError'), { description: 'On validation problems: one entry per field at fault' }),
    requestId: string('The request id (also in `X-Request-Id`), to quote to support'),
  }, { description: 'RFC 9457 problem details (`application/problem+json`); see docs/server.md, "Errors"' }),

  FieldError: object(['field', 'code', 'message'], {
    field: string('The field at fault: a body field (`displayName`, `data.jmbg`, `credential.response.signature`; a field of a repeating group\'s item `data.<group>[<index from 0>].<field>`, e.g. `data.coOwners[1].jmbg`), a query parameter or a header (`If-Match`, `Idempotency-Key`); `""` for the body as a whole'),
    code: string('Machine-readable: `required`, `type`, `tooLong`, `range`, `invalid`, `unknown`, `unknownField`, …'),
    message: string('English; elements localize by `code`. For application answers (`data.<field>`) the words the element shows too, made from the field\'s label and the rule or taken from the form definition\'s `messages` ("Enter the investor’s full name", "JMBG must be 13 digits, exactly as on an ID card")'),
    params: {
      type: 'object',
      description: 'The rule\'s parameters where its message has some (`{"max": 100}`, `{"min": "2026-01-01"}`), so an element can say the same in its language',
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    },
    rule: string('For `definition` errors (a form definition refused, 422 `invalid-form-definition`): the rule broken, the same stable code as `POST /admin/forms/check` gives (`params` its values), so the form builder words it in its language'),
  }),

  LocalizedText: {
    description: 'Serbian in either script, or `{sr-Latn?, sr-Cyrl?, en?}`',
    anyOf: [string(), { type: 'object', properties: { 'sr-Latn': string(), 'sr-Cyrl': string(), en: string() }, additionalProperties: string() }],
  },

  User: object(['id', 'displayName', 'kind', 'roles'], {
    id: string(),
    displayName: string(),
    kind: { enum: ['citizen', 'official', 'admin'] },
    agencyId: string('Officials and admins only'),
    agencyName: string('The agency\'s name (officials and admins only)'),
    roles: array(string()),
  }),

  MailStatus: object(['offered', 'address', 'pending', 'lang', 'notifications'], {
    offered: { type: 'boolean', description: 'SMTP is configured on the server: an element may offer e-mail notifications' },
    address: nullable(string('The confirmed address, the only one mail goes to')),
    pending: nullable(string('An address given but not confirmed yet (its code was sent to it)')),
    lang: nullable({ enum: ['sr-Cyrl', 'sr-Latn', 'en'], description: 'The language and script of the mails' }),
    notifications: { type: 'boolean', description: 'Notifications go to the confirmed address (false after PUT /me/email/notifications with false, or the unsubscribe link)' },
  }, { additionalProperties: false }),

  Session: object(['token', 'user'], {
    token: string('Send as `Authorization: Bearer <token>`', { pattern: '^[A-Za-z0-9_-]{20,200}$' }),
    user: ref('User'),
  }),

  Passkey: object(['id', 'transports', 'deviceType', 'backedUp', 'createdAt', 'lastUsedAt'], {
    id: string('The credential id (base64url)'),
    transports: array(string(), { description: '`internal`, `hybrid`, `usb`, `nfc`, `ble`…, as the authenticator said' }),
    deviceType: { enum: ['singleDevice', 'multiDevice', null], description: '`multiDevice`: a synced passkey; `singleDevice`: bound to one device or security key' },
    backedUp: { type: 'boolean' },
    createdAt: dateTime(),
    lastUsedAt: nullable(dateTime('The last sign-in or signature with it')),
  }),
  PasskeyList: object(['items'], { items: array(ref('Passkey')) }),

  RegistrationOptions: object(['flowId', 'publicKey'], { flowId: string(), publicKey: creationOptions }),
  AuthenticationOptions: object(['flowId', 'publicKey'], { flowId: string(), publicKey: requestOptions }),
  PublicKeyCredentialRequestOptions: requestOptions,

  RegistrationCredential: credential(
    object(['clientDataJSON', 'attestationObject'], { clientDataJSON: string('base64url'), attestationObject: string('base64url'), transports: array(string()) }),
    'RegistrationResponseJSON: `PublicKeyCredential.toJSON()` of `navigator.credentials.create()`',
  ),
  AuthenticationCredential: credential(
    object(['clientDataJSON', 'authenticatorData', 'signature'], {
      clientDataJSON: string('base64url', { maxLength: 16384 }),
      authenticatorData: string('base64url', { maxLength: 16384 }),
      signature: string('base64url', { maxLength: 16384 }),
      userHandle: string('base64url'),
    }),
    'AuthenticationResponseJSON: `PublicKeyCredential.toJSON()` of `navigator.credentials.get()`',
  ),

  FormSummary: object(['id', 'version', 'agencyId', 'title', 'signatureRequired', 'audience'], {
    id: string(),
    version: integer(undefined, { minimum: 1 }),
    agencyId: string(),
    title: ref('LocalizedText'),
    description: ref('LocalizedText'),
    signatureRequired: { type: 'boolean' },
    audience: { enum: ['public', 'internal'], description: '`internal` forms are listed only to officials of their agency' },
  }),

  FormDefinition: formDefinitionSchema(),

  StoredUpload: object(['id', 'sha256', 'size', 'mediaType', 'filename'], {
    id: string(),
    sha256: string('Hex SHA-256 of the bytes', HEX_SHA256),
    size: integer('Bytes', { minimum: 1 }),
    mediaType: string('Detected from the bytes'),
    filename: string('The client\'s file name, sanitised, for display only'),
  }),

  ApplicationData: {
    type: 'object',
    description: 'The answers, by field name: strings, numbers, booleans, or arrays of strings (a file field\'s upload ids, a multi-choice)',
    additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
  },

  Attachment: {
    allOf: [ref('StoredUpload'), object(['field'], { field: string('The file field it answers') })],
  },

  Application: object(
    ['id', 'trackingNumber', 'formId', 'formVersion', 'agencyId', 'ownerId', 'status', 'data', 'attachments', 'signatureId', 'returnComment', 'version', 'createdAt', 'updatedAt', 'submittedAt'],
    {
      id: string(),
      trackingNumber: string('e.g. `NP-2026-K7QX3M`'),
      formId: string(),
      formVersion: integer(undefined, { minimum: 1 }),
      agencyId: string('The handling agency'),
      ownerId: string(),
      status: ref('ApplicationStatus'),
      data: ref('ApplicationData'),
      attachments: array(ref('Attachment')),
      signatureId: nullable(string()),
      returnComment: nullable(string('The official\'s comment when it was returned for changes')),
      version: integer('Optimistic-concurrency version: the ETag; send it back as If-Match', { minimum: 1 }),
      createdAt: dateTime(),
      updatedAt: dateTime(),
      submittedAt: nullable(dateTime()),
      documentId: nullable(string('The issued document, once `issued`')),
      fee: ref('ApplicationFee'),
    },
    { description: 'An application as the API shows it (`ApplicationView`)' },
  ),

  FeeState: { enum: ['awaiting', 'paid'], description: '`paid` once an official of the handling agency marked the fee paid' },

  ApplicationFee: object(
    ['amount', 'payee', 'paymentCode', 'purpose', 'referenceModel', 'reference', 'accountDigits', 'requiredBeforeApproval', 'state', 'paid'],
    {
      amount: { type: 'number', exclusiveMinimum: 0, description: 'Dinars, at most two decimals' },
      payee: object(['name', 'account'], { name: string(), account: string('As the form writes it, e.g. `840-742221843-57`'), address: string() }),
      paymentCode: string('Šifra plaćanja, three digits', { pattern: '^\\d{3}$' }),
      purpose: ref('LocalizedText'),
      referenceModel: { const: '97' },
      reference: string('Model 97 of the tracking number without its agency prefix, control digits first, digits only', { pattern: '^\\d{3,22}$' }),
      accountDigits: string('The account as 18 digits', { pattern: '^\\d{18}$' }),
      requiredBeforeApproval: { type: 'boolean', description: 'The approval line waits until the fee is marked paid' },
      state: ref('FeeState'),
      paid: nullable(object(['at'], {
        at: dateTime(),
        by: ref('PersonRef'),
        statementReference: nullable(string('The bank statement reference the official gave (officials only)')),
      })),
    },
    { description: 'The fee of an application whose form states one (`ApplicationFeeView`): with `feePaymentOrder` / `feeIpsQrPayload` from overa/core it makes the payment order and its NBS IPS QR text. `paid.by` and `paid.statementReference` are shown to officials only.' },
  ),

  FeePaidRequest: object([], {
    statementReference: string('The bank statement (izvod) or transaction the payment was checked against', { maxLength: 100 }),
  }, { additionalProperties: false }),

  FeeUnpaidRequest: object([], {
    reason: string('Why the mark is undone (audited)', { maxLength: 2000 }),
  }, { additionalProperties: false }),

  ApplicationStatus: { enum: APPLICATION_STATUSES },

  HistoryEntry: object(['at', 'action', 'actor', 'data'], {
    at: dateTime(),
    action: string('The audit action, e.g. `application.submitted`'),
    actor: nullable(string()),
    data: { type: 'object' },
  }),

  ApplicationWithHistory: {
    allOf: [ref('Application'), object(['history'], { history: array(ref('HistoryEntry'), { description: 'From the audit log, oldest first' }) })],
  },

  ApplicationSummary: object(['id', 'trackingNumber', 'formId', 'formVersion', 'status', 'createdAt', 'updatedAt', 'submittedAt'], {
    id: string(),
    trackingNumber: string(),
    formId: string(),
    formVersion: integer(),
    status: ref('ApplicationStatus'),
    createdAt: dateTime(),
    updatedAt: dateTime(),
    submittedAt: nullable(dateTime()),
    fee: ref('FeeState'),
  }),

  ApplicationPage: page('ApplicationSummary'),

  NewApplication: object(['formId', 'formVersion', 'data'], {
    formId: string(undefined, { minLength: 1, maxLength: 64 }),
    formVersion: integer(undefined, { minimum: 1, maximum: 1_000_000 }),
    data: ref('ApplicationData'),
    attachments: array(string(), { description: 'When sent: exactly the upload ids in the file fields\' answers' }),
  }, { additionalProperties: false }),

  ApplicationChange: object(['data'], {
    data: ref('ApplicationData'),
    attachments: array(string()),
  }, { additionalProperties: false }),

  Submission: object([], {
    signatureId: string('A passkey signature of `submit` on this application as it is now (required when the form requires one)', { minLength: 1, maxLength: 64 }),
  }, { additionalProperties: false }),

  SigningSubject: object(['type', 'id'], {
    type: string('`application`, `decision`, …', { minLength: 1, maxLength: 32 }),
    id: string('An application id; for a decision `<applicationId>:<stepId>`', { minLength: 1, maxLength: 128 }),
  }),

  SigningPayload: object(['v', 'purpose', 'subject', 'action', 'digest', 'nonce', 'iat'], {
    v: { const: 1 },
    purpose: { const: 'overa-sign' },
    subject: ref('SigningSubject'),
    action: string(),
    digest: string('`sha256:` + base64url(SHA-256(RFC 8785 JSON of the content))', DIGEST),
    nonce: string('base64url'),
    iat: integer('Seconds since the epoch'),
  }),

  SigningRequest: object(['subject', 'action'], {
    subject: object(['type', 'id'], {
      type: string('`application`, `decision`, …', { minLength: 1, maxLength: 32 }),
      id: string('An application id; for a decision `<applicationId>:<stepId>`', { minLength: 1, maxLength: 128 }),
    }, { additionalProperties: false }),
    action: string('`submit` for an application; the decision for a decision', { minLength: 1, maxLength: 32 }),
    context: {
      description: 'What the signature covers beyond the subject: for a decision `{comment}` (at most 2000 characters); none for an application',
      type: 'object',
    },
  }, { additionalProperties: false }),

  SigningOptions: object(['flowId', 'payload', 'publicKey'], {
    flowId: string(),
    payload: ref('SigningPayload'),
    publicKey: ref('PublicKeyCredentialRequestOptions'),
  }),

  Signer: object(['id', 'displayName', 'kind', 'agencyId', 'roles'], {
    id: string(),
    displayName: string(),
    kind: { enum: ['citizen', 'official', 'admin'] },
    agencyId: nullable(string()),
    roles: array(string()),
  }),

  PasskeyEvidence: object(['payload', 'credentialId', 'publicKey', 'algorithm', 'authenticatorData', 'clientDataJSON', 'signature', 'signer', 'signedAt'], {
    payload: ref('SigningPayload'),
    credentialId: string('base64url'),
    publicKey: string('The COSE key as registered, base64url'),
    algorithm: integer('COSE: -7 ES256, -257 RS256, -8 EdDSA'),
    authenticatorData: string('base64url'),
    clientDataJSON: string('base64url'),
    signature: string('base64url'),
    signer: ref('Signer'),
    signedAt: dateTime(),
  }),

  Signature: object(['id', 'evidence'], { id: string(), evidence: ref('PasskeyEvidence') }),

  PersonRef: object(['id', 'displayName'], { id: string(), displayName: string() }),

  RoleRef: object(['role', 'agencyId'], { role: string(), agencyId: string() }),

  StepAssignee: {
    description: 'A role of an agency, or one named official',
    anyOf: [ref('RoleRef'), object(['userId', 'displayName'], { userId: string(), displayName: nullable(string()) })],
  },

  OnBehalfOf: { description: 'The absent official (proxy), or the step\'s role (delegated)', anyOf: [ref('PersonRef'), ref('RoleRef')] },

  DecisionBasis: { enum: ['assigned', 'delegated', 'proxy'] },

  Decision: { enum: [...DECISIONS] },

  DecisionView: object(['decision', 'comment', 'decidedBy', 'basis', 'onBehalfOf', 'signatureId', 'decidedAt'], {
    decision: ref('Decision'),
    comment: nullable(string()),
    decidedBy: ref('PersonRef'),
    basis: ref('DecisionBasis'),
    onBehalfOf: nullable(ref('OnBehalfOf')),
    signatureId: string(),
    decidedAt: dateTime(),
  }),

  CaseStep: object(['id', 'kind', 'stage', 'assignee', 'delegateRoles', 'state', 'decision', 'allowedDecisions', 'as', 'refusal'], {
    id: string(),
    kind: { enum: STEP_KINDS },
    stage: integer('Steps with the same stage run together (parallel agree steps)'),
    assignee: ref('StepAssignee'),
    delegateRoles: array(string()),
    state: { enum: ['waiting', 'pending', 'done', 'cancelled'] },
    decision: nullable(ref('DecisionView')),
    allowedDecisions: array(ref('Decision'), { description: 'What the signed-in official may decide on this step now' }),
    as: nullable(object(['basis', 'onBehalfOf'], { basis: ref('DecisionBasis'), onBehalfOf: nullable(ref('OnBehalfOf')) })),
    refusal: nullable(ref('StepRefusal')),
  }),

  StepRefusal: object(['type', 'title', 'detail', 'step'], {
    type: { enum: ['four-eyes'], description: '`four-eyes`: the official already decided another step of this round; another official must decide this one (the form\'s `approvalRules.allowSamePersonSteps`, or the step\'s `allowSamePerson`, lifts the rule)' },
    title: string('In English, as the problem a decision would get'),
    detail: string('In English, naming the step already decided, e.g. "You already decided step 1 of this case; another official must decide this step"'),
    step: string('The id of the step of this round the official already decided'),
  }, { description: 'Why the signed-in official may not decide an open step that is theirs by right (`allowedDecisions` is then empty)' }),

  CaseHistoryEntry: { allOf: [ref('HistoryEntry'), object(['actorName'], { actorName: nullable(string()) })] },

  Case: {
    description: '`GET /cases/:id` (`CaseView`): the application with its approval line and full history',
    allOf: [
      ref('Application'),
      object(['origin', 'applicant', 'round', 'approvalLine', 'history', 'deadline'], {
        origin: { enum: ['citizen', 'internal'] },
        applicant: ref('PersonRef'),
        round: integer(undefined, { minimum: 1 }),
        approvalLine: array(ref('CaseStep')),
        history: array(ref('CaseHistoryEntry')),
        deadline: nullable(ref('CaseDeadline')),
      }),
    ],
  },

  CaseDeadline: object(['state', 'dueDate', 'dueAt', 'daysLeft', 'status', 'remainingDays'], {
    state: { enum: ['running', 'paused', 'closed'], description: '`running`: awaiting a decision; `paused`: returned to the applicant, the clock stopped; `closed`: decided' },
    dueDate: nullable(string('The last day of the legal time limit, `YYYY-MM-DD` in Serbia (null while paused before it was reached)', { format: 'date' })),
    dueAt: nullable(dateTime()),
    daysLeft: nullable(integer('Running: local days to the due date (0 on the last day, negative once passed)')),
    status: nullable({ enum: ['on-time', 'due-soon', 'overdue'], description: 'Running: `due-soon` within the server\'s OVERA_DEADLINE_SOON_DAYS days, `overdue` once the last day has ended' }),
    remainingDays: nullable(integer('Paused: the days of the time limit left when the clock stopped')),
  }, { description: 'Where a case stands against the legal time limit its form sets (docs/server.md, "Legal deadlines"); null when the form sets none' }),

  InboxItem: object(['id', 'trackingNumber', 'formId', 'formVersion', 'agencyId', 'status', 'version', 'origin', 'applicant', 'submittedAt', 'updatedAt', 'pendingSteps', 'actionable', 'deadline'], {
    id: string(),
    trackingNumber: string(),
    formId: string(),
    formVersion: integer(),
    agencyId: string(),
    status: ref('ApplicationStatus'),
    version: integer(),
    origin: { enum: ['citizen', 'internal'] },
    applicant: ref('PersonRef'),
    submittedAt: dateTime(),
    updatedAt: dateTime(),
    pendingSteps: array(object(['id', 'kind', 'assignee'], { id: string(), kind: { enum: STEP_KINDS }, assignee: ref('StepAssignee') })),
    actionable: { type: 'boolean', description: 'The signed-in official can decide one of the pending steps now' },
    fee: object(['state', 'requiredBeforeApproval'], { state: ref('FeeState'), requiredBeforeApproval: { type: 'boolean' } }, {
      description: 'When the form states a fee. `awaiting` with `requiredBeforeApproval`: the line waits for the fee (no pending steps)',
    }),
    deadline: nullable(ref('CaseDeadline')),
  }),

  InboxPage: page('InboxItem'),

  CaseUpdatedEvent: object(['id', 'status', 'version', 'trackingNumber'], {
    id: string(),
    status: ref('ApplicationStatus'),
    version: integer(),
    trackingNumber: string(),
  }, { description: 'The data of a `case-updated` server-sent event' }),

  DocumentReceivedEvent: object(['id', 'documentId', 'trackingNumber'], {
    id: string('The reception, as in `GET /receptions`'),
    documentId: string(),
    trackingNumber: string(),
  }, { description: 'The data of a `document-received` server-sent event' }),

  DecisionRequest: object(['step', 'decision', 'signatureId'], {
    step: string(undefined, { minLength: 1, maxLength: 64 }),
    decision: ref('Decision'),
    comment: string('Required for `return` and `reject`', { maxLength: 2000 }),
    signatureId: string('A passkey signature of this decision (subject `decision`, id `<caseId>:<step>`)', { minLength: 1, maxLength: 64 }),
  }, { additionalProperties: false }),

  Delegation: object(['id', 'absent', 'substitute', 'agencyId', 'from', 'until', 'createdAt', 'revokedAt'], {
    id: string(),
    absent: ref('PersonRef'),
    substitute: ref('PersonRef'),
    agencyId: string(),
    from: dateTime(),
    until: dateTime(),
    createdAt: dateTime(),
    revokedAt: nullable(dateTime()),
  }),

  DelegationRequest: object(['toUserId', 'from', 'until'], {
    toUserId: string('An official of the same agency', { minLength: 1, maxLength: 64 }),
    from: string('ISO 8601 date-time with an offset', { format: 'date-time', maxLength: 40 }),
    until: string('After `from`, in the future, at most 366 days after `from`', { format: 'date-time', maxLength: 40 }),
  }, { additionalProperties: false }),

  DelegationList: object(['items'], { items: array(ref('Delegation')) }),

  DocumentStatus: { enum: ['valid', 'revoked', 'superseded'] },

  Document: object(
    ['id', 'applicationId', 'trackingNumber', 'agencyId', 'formId', 'formVersion', 'title', 'status', 'verificationCode', 'verificationUrl', 'issuedAt', 'validUntil', 'sha256', 'size', 'seal', 'revocation'],
    {
      id: string(),
      applicationId: string(),
      trackingNumber: string(),
      agencyId: string(),
      formId: string(),
      formVersion: integer(),
      title: ref('LocalizedText'),
      status: ref('DocumentStatus'),
      verificationCode: string('20 characters in groups of four, e.g. `K7QX-3MAC-…`'),
      verificationUrl: string(undefined, { format: 'uri' }),
      issuedAt: dateTime(),
      validUntil: nullable(dateTime()),
      sha256: string('Hex SHA-256 of the PDF', HEX_SHA256),
      size: integer('Bytes of the PDF'),
      seal: object(['certificateSha256', 'timestamped', 'level', 'ltvPending', 'archiveUntil'], {
        certificateSha256: string(undefined, HEX_SHA256),
        timestamped: { type: 'boolean' },
        level: { type: 'string', enum: ['B-B', 'B-T', 'B-LT', 'B-LTA'], description: 'The PAdES baseline level the stored PDF reached' },
        ltvPending: { type: 'boolean', description: 'The configured level is not reached yet (a responder did not answer at issuance, OVERA_LTV_ON_FAILURE=defer); the archive job retries' },
        archiveUntil: nullable(dateTime('When the newest time-stamp\'s certificate ends; before then the archive job adds a new document time-stamp')),
      }),
      revocation: nullable(object(['at', 'reason', 'supersededBy'], { at: dateTime(), reason: string(), supersededBy: nullable(string()) })),
    },
    { description: 'An issued document (`DocumentView`)' },
  ),

  DocumentRecipient: object(['agencyId', 'agencyName', 'status', 'sentAt', 'acceptedAt', 'signatureId'], {
    agencyId: string(),
    agencyName: string(),
    status: ref('ReceptionStatus'),
    sentAt: dateTime(),
    acceptedAt: nullable(dateTime()),
    signatureId: nullable(string('The receiving official\'s signed acknowledgement, once accepted')),
    partner: ref('PartnerDelivery'),
  }, { description: 'An agency an issued document was sent to' }),

  PartnerDelivery: object(['server', 'messageId', 'delivery', 'attempts', 'lastError', 'receivedAt', 'receipt', 'reason'], {
    server: nullable(string('The partner server\'s base URL')),
    messageId: string('The signed `document` message (retry: `POST documents/:id/exchange/:messageId/retry`)'),
    delivery: { enum: ['queued', 'delivering', 'delivered', 'failed'] },
    attempts: integer(),
    lastError: nullable(string()),
    receivedAt: nullable(dateTime('The time of receipt the partner\'s receipt states')),
    receipt: nullable(object(['json', 'signature'], {
      json: string('The receipt, canonical JSON (RFC 8785)'),
      signature: string('Base64 DER detached CMS over `json` by the partner\'s seal (`openssl cms -verify -binary -inform DER -content receipt.json`)'),
    })),
    reason: nullable(string('A rejection\'s reason')),
  }, { description: 'A partner agency on another server (docs/exchange.md): the delivery of the signed message and the partner\'s answer (`status`)' }),

  DocumentDetails: {
    description: '`GET documents/:id`: the document, the agencies it was sent to and its history. The applicant and the issuing agency see every recipient; a receiving agency only its own reception, and only its own sending and receipt in the history.',
    allOf: [
      ref('Document'),
      object(['recipients', 'history'], {
        recipients: array(ref('DocumentRecipient')),
        history: array(ref('CaseHistoryEntry'), { description: 'Issued, sent, received, revoked: with the actor\'s name' }),
      }),
    ],
  },

  DistributeRequest: object(['agencyIds'], {
    agencyIds: array(string(undefined, { minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50, description: 'Other agencies, not sent already' }),
  }, { additionalProperties: false }),

  ReceptionStatus: { enum: ['pending', 'accepted', 'rejected'] },

  ReceptionItem: object(['id', 'documentId', 'title', 'issuingAgency', 'trackingNumber', 'documentStatus', 'sentAt', 'status', 'acceptedAt', 'acceptedBy', 'signatureId'], {
    id: string('The reception id (`reception/:id`, and the signing subject `{type: "reception", id}`)'),
    documentId: string(),
    title: ref('LocalizedText'),
    issuingAgency: object(['id', 'name'], { id: string(), name: string() }),
    trackingNumber: string('The issuing agency\'s case number'),
    documentStatus: ref('DocumentStatus'),
    sentAt: dateTime(),
    status: ref('ReceptionStatus'),
    acceptedAt: nullable(dateTime()),
    acceptedBy: nullable(ref('PersonRef')),
    signatureId: nullable(string()),
    partner: object(['server', 'seal', 'receivedAt', 'sha256', 'rejectionReason', 'revocation'], {
      server: string('The sending server\'s base URL'),
      seal: object(['subject', 'sha256', 'verified'], { subject: string(), sha256: string(), verified: { type: 'boolean' } }, { description: 'The certificate whose signature on the envelope verified against the partner\'s pin' }),
      receivedAt: dateTime(),
      sha256: string('The PDF\'s SHA-256 as the signed envelope gives it'),
      rejectionReason: nullable(string()),
      revocation: nullable(object(['at', 'reason'], { at: dateTime(), reason: string() })),
    }, { description: 'Sent by a partner agency from another server (docs/exchange.md); the PDF is `GET reception/:id/pdf`' }),
  }, { description: 'A document another agency sent to the reader\'s agency' }),

  RejectReceptionRequest: object(['signatureId', 'reason'], {
    signatureId: string('A signature on `{type: "reception", id}`, action `reject`, context `{reason}`', { minLength: 1, maxLength: 64 }),
    reason: string(undefined, { minLength: 1, maxLength: 2000 }),
  }, { additionalProperties: false }),

  ExchangePart: object(['name', 'contentType', 'sha256', 'size'], {
    name: string(undefined, { minLength: 1, maxLength: 200 }),
    contentType: string(undefined, { maxLength: 100 }),
    sha256: string('Lower-case hex SHA-256 of the part\'s bytes', { pattern: '^[0-9a-f]{64}$' }),
    size: integer(undefined, { minimum: 0 }),
  }, { additionalProperties: false }),

  ExchangeEnvelope: object(['protocol', 'messageId', 'type', 'from', 'to', 'documentId', 'title', 'documentType', 'trackingNumber', 'issuedAt', 'time', 'parts'], {
    protocol: { const: 'overa-exchange/1' },
    messageId: string('A UUID made by the sender, the same on every attempt'),
    type: { enum: ['document', 'acceptance', 'rejection', 'revocation'] },
    from: object(['agencyId', 'name', 'server'], { agencyId: string(), name: string(), server: string('The sending server\'s base URL') }, { additionalProperties: false }),
    to: object(['agencyId'], { agencyId: string() }, { additionalProperties: false }),
    documentId: string('The document as the issuing server names it'),
    title: ref('LocalizedText'),
    documentType: string('The form it was issued from'),
    trackingNumber: string(),
    issuedAt: dateTime(),
    time: dateTime('When the message was made'),
    parts: array(ref('ExchangePart'), { maxItems: 20 }),
    inReplyTo: string('acceptance / rejection: the `document` message answered'),
    reason: string('rejection / revocation: why'),
  }, { additionalProperties: false, description: 'Signed by the sending agency\'s seal as its RFC 8785 canonical JSON' }),

  ExchangeRequest: object(['envelope', 'signature', 'parts'], {
    envelope: ref('ExchangeEnvelope'),
    signature: string('Base64 DER of the detached CMS SignedData over the envelope\'s canonical JSON'),
    parts: array(object(['name', 'data'], { name: string(), data: string('Base64 of the part\'s bytes') }, { additionalProperties: false }), { maxItems: 20 }),
  }, { additionalProperties: false }),

  ExchangeReceipt: object(['protocol', 'messageId', 'envelopeSha256', 'from', 'to', 'parts', 'receivedAt'], {
    protocol: { const: 'overa-exchange/1' },
    messageId: string(),
    envelopeSha256: string('Hex SHA-256 of the envelope\'s canonical JSON'),
    from: string('The sending agency'),
    to: string('The receiving agency, whose seal signs the receipt'),
    parts: array(object(['name', 'sha256'], { name: string(), sha256: string() })),
    receivedAt: dateTime(),
  }),

  ExchangeResponse: object(['receipt', 'signature'], {
    receipt: ref('ExchangeReceipt'),
    signature: string('Base64 DER detached CMS over the receipt\'s canonical JSON, by the receiving agency\'s seal'),
  }),

  ExchangeRetry: object(['messageId', 'state'], { messageId: string(), state: { const: 'queued' } }),

  AgencyDirectory: object(['items'], {
    items: array(object(['id', 'name', 'kind'], {
      id: string(), name: string(), kind: { enum: ['local', 'partner'] }, server: string('A partner\'s server'),
    })),
  }),

  ReceptionPage: page('ReceptionItem'),

  AcceptReceptionRequest: object(['signatureId'], {
    signatureId: string('A signature on `{type: "reception", id}`, action `accept`', { minLength: 1, maxLength: 64 }),
  }, { additionalProperties: false }),

  Revocation: object(['reason'], {
    reason: string(undefined, { minLength: 1, maxLength: 1000 }),
    supersededBy: string('The id of the document that replaces it: same agency, not itself, not revoked', { minLength: 1, maxLength: 64 }),
  }, { additionalProperties: false }),

  DocumentCheckFacts: object(['holder', 'subject', 'contentDigest', 'pdfSize'], {
    holder: nullable(ref('LocalizedText')),
    subject: array(object(['label', 'value'], { label: ref('LocalizedText'), value: ref('LocalizedText') })),
    contentDigest: string('The application content\'s digest (what the applicant signed); the document prints its fingerprint', DIGEST),
    pdfSize: integer('Bytes of the PDF at `verify/{code}/pdf`', { minimum: 1 }),
  }, { description: 'What a code check shows of a valid document to compare with the one in hand: the holder and subject its form names (`document.codeCheck`; a free-text answer as typed, an option by its label), its content digest, and the size of its PDF' }),

  PublicDocumentStatus: object(['verificationCode', 'status', 'title', 'issuer', 'issuedAt', 'validUntil', 'sha256', 'revokedAt', 'revocationReason', 'supersededBy', 'facts'], {
    verificationCode: string(),
    status: ref('DocumentStatus'),
    title: ref('LocalizedText'),
    issuer: object(['id', 'name'], { id: string(), name: string() }),
    issuedAt: dateTime(),
    validUntil: nullable(dateTime()),
    sha256: string('Hex SHA-256 of the genuine PDF, to compare a file in hand with', HEX_SHA256),
    revokedAt: nullable(dateTime()),
    revocationReason: nullable(string()),
    supersededBy: nullable(string('The verification code of the document that replaces this one')),
    facts: nullable(ref('DocumentCheckFacts')),
  }, { description: 'What anyone holding a verification code may learn: the document\'s type, issuer, dates, state and fingerprint, and while it is valid the few facts its form names for comparing (`facts`, null otherwise); never a JMBG, a file or an id of the application or its owner' }),

  TrustAnchor: object(['subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter', 'sha256', 'keyAlgorithm', 'pem'], {
    subject: string('Distinguished name'),
    issuer: string(),
    serialNumber: string('Hex'),
    notBefore: dateTime(),
    notAfter: dateTime(),
    sha256: string('Hex SHA-256 of the DER: the fingerprint', HEX_SHA256),
    keyAlgorithm: string('e.g. `EC P-256`'),
    pem: string(undefined, { pattern: '^-----BEGIN CERTIFICATE-----' }),
  }),

  TrustAnchors: object(['anchors'], {
    anchors: array(ref('TrustAnchor')),
    trustedLists: array(ref('TrustedListStatus'), { description: 'The trusted lists the server keeps (config `OVERA_TRUSTED_LISTS`), one status each; empty when none are configured' }),
    verifiedLists: array(ref('VerifiedTrustedList'), { description: 'With `?include=services`: the current lists as verified, for `<overa-verify>`\'s `trustedLists`' }),
  }),

  TrustedListStatus: object(['name', 'location', 'status'], {
    name: string('`lotl` (the EU list of lists) or the territory, as configured'),
    location: string('URL or file it is fetched from'),
    status: { enum: ['current', 'expired', 'missing'], description: '`current`: verified and before its NextUpdate; `expired`: the last good copy is past it (not used); `missing`: never verified' },
    territory: string(),
    listOfLists: { type: 'boolean' },
    sequenceNumber: integer(),
    issued: dateTime(),
    nextUpdate: dateTime(),
    verifiedAt: dateTime(),
    signer: string('Hex SHA-256 of the pinned certificate whose key verified the list', HEX_SHA256),
    signerSubject: string(),
    providers: integer(),
    services: integer(),
    lastAttemptAt: dateTime(),
    lastError: object(['reason', 'detail'], { reason: string('e.g. `signature-invalid`, `signer-not-pinned`, `expired`, `fetch-failed`, `older-sequence`'), detail: string() }),
  }),

  VerifiedTrustedList: object(['list', 'signer', 'signerSubject', 'verifiedAt'], {
    list: object(['type', 'listOfLists', 'territory', 'operator', 'sequenceNumber', 'issued', 'pointers', 'providers'], {
      type: string('TSLType URI'),
      listOfLists: { type: 'boolean' },
      territory: string(),
      operator: string(),
      sequenceNumber: integer(),
      issued: dateTime(),
      nextUpdate: dateTime(),
      pointers: array(object(['location', 'signingCertificates'], { location: string(), territory: string(), type: string(), mimeType: string(), signingCertificates: array(string('Base64 DER')) })),
      providers: array(object(['name', 'tradeNames', 'services'], {
        name: string(),
        tradeNames: array(string()),
        services: array(object(['name', 'certificates', 'skis', 'subjectNames', 'states'], {
          name: string(),
          certificates: array(string('Base64 DER')),
          skis: array(string('Hex subject key identifier')),
          subjectNames: array(string()),
          states: array(object(['type', 'status', 'from', 'qualifications', 'additionalInfo'], {
            type: string('Service type identifier URI'),
            status: string('Service status URI'),
            from: dateTime('StatusStartingTime'),
            to: dateTime('When the next state started; absent for the current one'),
            qualifications: array(object(['qualifiers', 'criteria'], { qualifiers: array(string()), criteria: { type: 'object' } })),
            additionalInfo: array(string('AdditionalServiceInformation URI')),
          }), { description: 'The current state first, then the history, newest first' }),
        })),
      })),
    }),
    signer: string(undefined, HEX_SHA256),
    signerSubject: string(),
    verifiedAt: dateTime(),
    location: string(),
  }),

  QualificationSummary: object(['level', 'at', 'territory', 'provider', 'service', 'qcCompliance', 'qcTypes', 'qcSscd', 'qualifiers', 'qualifiedCertificate', 'qscd', 'reasons'], {
    level: { enum: ['QESig', 'QESeal', 'AdESig-QC', 'AdESeal-QC', 'AdESig', 'AdESeal', 'NA'], description: 'As EU DSS classifies it (ETSI TS 119 172-4)' },
    at: dateTime('The time qualification was judged at: the best signature time, else the validation time'),
    territory: string(),
    provider: string(),
    service: string(),
    serviceType: string(),
    serviceStatus: string('`granted`, `withdrawn`, …'),
    statusFrom: dateTime(),
    qcCompliance: { type: 'boolean' },
    qcTypes: array({ enum: ['esign', 'eseal', 'web'] }),
    qcSscd: { type: 'boolean' },
    qualifiers: array(string()),
    qualifiedCertificate: { type: 'boolean' },
    qscd: { type: 'boolean' },
    use: { enum: ['esig', 'eseal', 'wsa'] },
    reasons: array(ref('ReportReason')),
  }),

  Indication: { enum: INDICATIONS },

  ReportReason: reportReason,

  CertificateSummary: object(['subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter', 'sha256', 'publicKey'], {
    subject: string(),
    issuer: string(),
    serialNumber: string(),
    notBefore: string(),
    notAfter: string(),
    sha256: string(),
    publicKey: string('e.g. `EC P-256`, `RSA 3072`'),
  }),

  SignatureReportEntry: object(['id', 'kind', 'indication', 'reasons'], {
    id: string(),
    kind: { enum: ['passkey', 'seal'] },
    indication: ref('Indication'),
    subIndication: string('ETSI EN 319 102-1 sub-indication, e.g. `NO_CERTIFICATE_CHAIN_FOUND`'),
    reasons: array(ref('ReportReason')),
    signer: object(['displayName'], {
      displayName: string(),
      id: string(),
      kind: { enum: ['citizen', 'official', 'admin'] },
      agencyId: nullable(string()),
      roles: array(string()),
    }),
    signedAt: string(),
    signedAtSource: { enum: ['timestamp', 'signed-attribute', 'pdf-dictionary', 'validation-time'] },
    scope: object(['digest'], { digest: string(), subject: ref('SigningSubject'), action: string() }),
    subFilter: string(),
    byteRange: array(integer()),
    coversWholeDocument: { type: 'boolean' },
    certificate: ref('CertificateSummary'),
    chain: array(string()),
    coveredBy: string(),
    warnings: array(ref('ReportReason')),
    level: { enum: ['B-B', 'B-T', 'B-LT', 'B-LTA'], description: 'Seals (ETSI.CAdES.detached): the PAdES baseline level reached as verified' },
    bestSignatureTime: dateTime(),
    qualification: ref('QualificationSummary'),
    validationData: object(['certificates', 'revocation'], {
      certificates: array(object(['subject', 'sha256', 'source'], {
        subject: string(),
        sha256: string(),
        source: ref('ValidationDataSource'),
        status: { enum: ['good', 'revoked', 'unknown'] },
        revokedAt: dateTime(),
      })),
      revocation: array(object(['type', 'source', 'accepted'], {
        type: { enum: ['OCSP', 'CRL'] },
        source: ref('ValidationDataSource'),
        certificate: string(),
        issuer: string(),
        status: { enum: ['good', 'revoked', 'unknown'] },
        revokedAt: dateTime(),
        thisUpdate: dateTime(),
        nextUpdate: dateTime(),
        producedAt: dateTime(),
        accepted: { type: 'boolean' },
        reason: ref('ReportReason'),
      })),
    }, { description: 'Seals: the validation data the signature was judged with, and where each piece came from' }),
  }),

  ValidationDataSource: { enum: ['dss', 'signature', 'timestamp', 'trust-anchor'] },

  TimestampReportEntry: object(['id', 'type', 'indication', 'reasons'], {
    id: string('`sig-N` for a document time-stamp, `sig-N-ts-M` for a signature time-stamp'),
    type: { enum: ['signature', 'document'] },
    indication: ref('Indication'),
    subIndication: string(),
    reasons: array(ref('ReportReason')),
    productionTime: dateTime(),
    tsa: string(),
    covers: array(string()),
    byteRange: array(integer()),
    warnings: array(ref('ReportReason')),
  }),

  VerificationReport: object(['indication', 'signatures', 'signaturesCount', 'validSignaturesCount', 'validationTime'], {
    indication: ref('Indication'),
    subIndication: string(),
    signatures: array(ref('SignatureReportEntry')),
    signaturesCount: integer(undefined, { minimum: 0 }),
    validSignaturesCount: integer(undefined, { minimum: 0 }),
    validationTime: dateTime(),
    reasons: array(ref('ReportReason')),
    warnings: array(ref('ReportReason')),
    document: object(['size'], {
      size: integer(),
      issued: object([], {
        verificationCode: string(),
        title: ref('LocalizedText'),
        agencyId: string(),
        agencyName: string(),
        issuedAt: string(),
        validUntil: string(),
      }, { description: 'From the evidence file the last seal covers: the issuer\'s own description of the document (Overa documents only)' }),
      wholeDocumentSigned: { type: 'boolean' },
      onlyValidationDataAfter: { type: 'boolean' },
      dss: object(['certificates', 'ocsps', 'crls', 'vri'], { certificates: integer(), ocsps: integer(), crls: integer(), vri: integer() }),
    }),
    timestamps: array(ref('TimestampReportEntry')),
  }, { description: 'Shaped like the EU DSS simple report; see docs/verification.md' }),

  AuditEntry: object(['seq', 'at', 'actor', 'action', 'subject', 'data', 'prev', 'hash'], {
    seq: integer(undefined, { minimum: 1 }),
    at: dateTime(),
    actor: nullable(string()),
    action: string(),
    subject: object(['type', 'id'], { type: string(), id: string() }),
    data: {},
    prev: string('The hash of the entry before'),
    hash: string('SHA-256 of the RFC 8785 JSON of the other fields'),
  }),

  AuditPage: page('AuditEntry'),

  AuditChainState: object(['ok', 'entries', 'head', 'problems'], {
    ok: { type: 'boolean' },
    entries: integer('Rows in the log, in the chain or not (equal to `head.seq` when the chain is whole)', { minimum: 0 }),
    head: object(['seq', 'hash'], { seq: integer(), hash: string() }),
    firstBadSeq: integer('The first entry at fault (lowest sequence number, possibly below 1), when the chain is not whole'),
    problems: array(object(['seq', 'problem', 'detail'], {
      seq: integer(),
      problem: { enum: ['modified', 'missing', 'broken-link', 'head-mismatch', 'outside-chain'] },
      detail: string(),
    }), { maxItems: 100 }),
  }),

  OpenDataFigure: object(['value', 'suppressed'], {
    value: nullable({ type: 'number' }),
    suppressed: { type: 'boolean', description: '`true` (and `value` null) when the count is below `minCount`' },
  }),

  OpenDataRow: object(['agencyId', 'formId', 'month', 'submitted', 'approved', 'returned', 'rejected', 'issued', 'finished', 'medianDays', 'p90Days', 'decidedOnTime', 'onTimePercent'], {
    agencyId: string(),
    formId: string(),
    month: string('`YYYY-MM`: the month of first submission, in Serbia', { pattern: '^\\d{4}-\\d{2}$' }),
    submitted: ref('OpenDataFigure'),
    approved: ref('OpenDataFigure'),
    returned: ref('OpenDataFigure'),
    rejected: ref('OpenDataFigure'),
    issued: ref('OpenDataFigure'),
    finished: ref('OpenDataFigure'),
    medianDays: ref('OpenDataFigure'),
    p90Days: ref('OpenDataFigure'),
    decidedOnTime: { ...ref('OpenDataFigure'), description: 'Of the finished requests whose form sets a legal time limit, those decided on or before their due date' },
    onTimePercent: { ...ref('OpenDataFigure'), description: 'Their share of the finished requests with a time limit, a percentage to one decimal; published when at least `minCount` such requests finished' },
  }),

  OpenDataStatistics: object(['asOf', 'timeZone', 'minCount', 'filters', 'agencies', 'forms', 'rows'], {
    asOf: string('The day the figures were read (`YYYY-MM-DD`, in Serbia)', { format: 'date' }),
    timeZone: { const: AGENCY_TIME_ZONE },
    minCount: integer(undefined, { minimum: 1 }),
    filters: object(['agency', 'form', 'from', 'to'], { agency: nullable(string()), form: nullable(string()), from: nullable(string()), to: nullable(string()) }),
    agencies: array(object(['id', 'name'], { id: string(), name: string() })),
    forms: array(object(['id', 'title'], { id: string(), title: nullable(ref('LocalizedText')) })),
    rows: array(ref('OpenDataRow'), { description: 'Ordered by agency, form and month' }),
  }, { description: 'Service performance with no personal data' }),

  Health: object(['status', 'database'], {
    status: { enum: ['ok', 'unavailable'] },
    database: { enum: ['ok', 'unreachable'] },
  }),

  AdminFormSummary: object(['id', 'agencyId', 'title', 'state', 'publishedVersion', 'hasDraft', 'updatedAt'], {
    id: string(),
    agencyId: string(),
    title: ref('LocalizedText'),
    state: { enum: ['draft', 'published', 'retired'], description: '`draft`: never published; `retired`: takes no new applications' },
    publishedVersion: nullable(integer('The latest published version', { minimum: 1 })),
    hasDraft: { type: 'boolean' },
    updatedAt: dateTime(),
  }),

  AdminFormList: object(['items'], { items: array(ref('AdminFormSummary')) }),

  AdminForm: object(['id', 'agencyId', 'state', 'publishedVersion', 'draft', 'versions'], {
    id: string(),
    agencyId: string(),
    state: { enum: ['draft', 'published', 'retired'] },
    publishedVersion: nullable(integer(undefined, { minimum: 1 })),
    draft: nullable(ref('FormDefinition')),
    versions: array(object(['version', 'publishedAt', 'publishedBy'], {
      version: integer(undefined, { minimum: 1 }),
      publishedAt: dateTime(),
      publishedBy: nullable(string('The administrator who published it; null for a version loaded from OVERA_FORMS_DIR')),
      digest: string('Hex SHA-256 of the version\'s canonical JSON (as in its audit entry)', HEX_SHA256),
    }), { description: 'Oldest first' }),
  }),

  FormDraft: object(['draft'], { draft: ref('FormDefinition') }),

  FormPublished: object(['version', 'publishedAt'], { version: integer(undefined, { minimum: 1 }), publishedAt: dateTime() }),

  FormDefinitionCheck: object(['problems'], {
    problems: array(object(['path', 'code', 'params', 'message'], {
      path: string('A JSON pointer into the definition (\'\' is the whole of it)'),
      code: string('The rule broken, a stable code (`field-duplicate-name`, `page-field-order`, `fee-payment-code`, …; `schema` for the JSON Schema\'s): translations key on it'),
      params: { type: 'object', description: 'The values the message names (field names, numbers, JSON pointers), by name', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
      message: string('English'),
    })),
  }),

  FormDiff: object(['from', 'to', 'changes'], {
    from: nullable(integer('The version before (null for the first: every member an `add`)', { minimum: 1 })),
    to: integer(undefined, { minimum: 1 }),
    changes: array(object(['path', 'op'], {
      path: string('RFC 6901 JSON pointer'),
      op: { enum: ['add', 'remove', 'replace'] },
      before: { description: 'The value before (remove, replace)' },
      after: { description: 'The value after (add, replace)' },
    }), { description: 'Applied in order, an RFC 6902 patch from the one version to the other' }),
  }),

  WebhookEventType: { enum: [...WEBHOOK_EVENTS] },

  WebhookRequest: object(['url', 'events'], {
    url: string('An http(s) URL without credentials or fragment; redirects are not followed', { minLength: 1, maxLength: 2048 }),
    events: array({ anyOf: [ref('WebhookEventType'), { const: '*' }] }, { minItems: 1, description: 'The events it hears; `*` for all' }),
    description: string('For the administrators', { maxLength: 500 }),
  }, { additionalProperties: false }),

  WebhookEndpoint: object(['id', 'agencyId', 'url', 'events', 'description', 'createdAt', 'updatedAt', 'previousSecretUntil'], {
    id: string(),
    agencyId: nullable(string('The agency whose events it hears; null: every agency (added by the operator with the CLI)')),
    url: string(),
    events: array(string()),
    description: string(),
    createdAt: dateTime(),
    updatedAt: dateTime(),
    previousSecretUntil: nullable(dateTime('After a rotation: until when the previous secret still signs beside the new one')),
  }, { description: 'A webhook endpoint; its secret is never shown again after it was made or rotated' }),

  WebhookEndpointWithSecret: {
    allOf: [ref('WebhookEndpoint'), object(['secret'], { secret: string('`whsec_` + base64 of 32 bytes: the signing key, shown this once', { pattern: '^whsec_[A-Za-z0-9+/]{43}=$' }) })],
  },

  WebhookEndpointList: object(['items'], { items: array(ref('WebhookEndpoint')) }),

  WebhookDelivery: object(['id', 'endpointId', 'eventType', 'state', 'attempts', 'nextAttemptAt', 'lastError', 'createdAt', 'deliveredAt', 'payload'], {
    id: string('The delivery id: the `webhook-id` header, the same on every attempt and replay'),
    endpointId: string(),
    eventType: string(),
    state: { enum: ['queued', 'delivering', 'delivered', 'failed'] },
    attempts: integer('Attempts made since it was queued (or retried)', { minimum: 0 }),
    nextAttemptAt: nullable(dateTime('When queued: the next attempt')),
    lastError: nullable(string('Why the last attempt failed (`HTTP 500`, `no answer: …`)')),
    createdAt: dateTime(),
    deliveredAt: nullable(dateTime()),
    payload: object(['type', 'timestamp', 'data'], { type: string(), timestamp: dateTime(), data: { type: 'object' } }, { description: 'The body sent: ids and states, no personal answers' }),
  }),

  WebhookDeliveryList: object(['items'], { items: array(ref('WebhookDelivery')) }),

  WebhookTestQueued: object(['deliveryId'], { deliveryId: string('The `webhook.test` delivery, in the log') }),
};

/** A keyset-paged list of `item`. */
function page(item: string): Schema {
  return object(['items', 'nextCursor'], {
    items: array(ref(item)),
    nextCursor: nullable(string('Pass back as `cursor` for the next page; null on the last one')),
  });
}
