/**
 * Issue 9, item 3: the authorization matrix. Six identities — nobody, citizen A, citizen B, an
 * official of agency X (by role: the head, who approves and revokes, but holds no clerk's step), an
 * official of agency Y (the land registry, to which X sends some documents) and an admin of X —
 * against every route the app registers, each with a concrete path onto real data made through
 * the API: citizen A's draft, A's submitted building permit with two uploads and A's signature,
 * a case in review, issued (sealed) documents, receptions of documents sent to Y, delegations.
 *
 * MATRIX below is the table: one row per route, method and concrete path (`{name}` is a fixture
 * made in `before`), one expected status (or a small set) per identity. The test walks all of
 * it, checks that the table's routes are exactly the routes the Koa routers register (a new route
 * fails here until it is classified), that no error answer names another party (names, tracking
 * numbers, ids the caller did not send), and that listings (applications, inbox, reception,
 * audit, delegations, forms, a document's recipients) never show other people's items.
 *
 * Requests are realistic: where an identity is allowed, its request is a valid one (a fresh
 * signature, the current If-Match, a real body), so the expected 2xx is real. Within a row, the
 * identities expected to be refused go first and the ones expected to succeed last, so that a
 * refusal always meets the state the row set out with; and a refusal must change nothing (no
 * audit entry, which every change appends in its own transaction). Rows that change state act
 * on objects nobody else's row needs (`{submittable}`, `{approvable}`, `{revocable}`,
 * `{revocableDelegation}`) or are harmless to later rows (a new draft, a recipient).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, TEST_ORIGIN, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { discoverRoutes } from '../helpers/routes.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { createInvite } from '../../server/services/invites.ts';
import { issueRecoveryCode } from '../../server/services/account-recovery.ts';
import { addWebhook } from '../../server/services/webhooks.ts';
import { seedDemo, DEMO_AGENCY, DEMO_RECEIVING_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import type { ApplicationWithHistory, DelegationView, DocumentDetails, InboxItem, Page, ReceptionItem } from '../../components/core/api.ts';
import { JMBG } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const X = DEMO_AGENCY.id;
const Y = DEMO_RECEIVING_AGENCY.id;
/** Agencies without people: where X's officials send documents in the matrix. */
const Z1 = { id: 'treca-opstina', name: 'Opštinska uprava Treća' };
const Z2 = { id: 'cetvrta-opstina', name: 'Opštinska uprava Četvrta' };
const HOUR = 3600_000;

// ---------------------------------------------------------------------------------------------
// The identities

const WHO = ['anon', 'citizenA', 'citizenB', 'officialX', 'officialY', 'adminX'] as const;
type Who = (typeof WHO)[number];
type Person = Exclude<Who, 'anon'>;

/** Display names: also what no error answer may name unless it is the caller's own. */
const NAMES: Record<Person | 'clerkX' | 'officialY2', string> = {
  citizenA: 'Ana Anić',
  citizenB: 'Boris Borić',
  officialX: 'Milan Načelnik', // head of X: approves, revokes; no clerk's step is his
  officialY: 'Olga Katastrić', // registrar of Y (the land registry)
  adminX: 'Vesna Upravnik', // admin of X (invite kind 'admin'), no roles
  clerkX: 'Petar Službenik', // clerk of X: reviews in the set-up, not a column
  officialY2: 'Zoran Geodeta', // Y's second official: Y's own delegation
};

/** A small form of agency X, for the rows of forms in the database. */
function matrixForm(id: string): Record<string, unknown> {
  return {
    id, version: 1, agencyId: X, title: 'Obrazac',
    fields: [{ name: 'a', type: 'text', label: 'A', required: true }],
    signature: { required: false },
    approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
    document: { template: id, title: 'Obrazac' },
  };
}

// ---------------------------------------------------------------------------------------------
// The table

type Cell = number | readonly number[];
interface Req {
  body?: unknown;
  raw?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
  /** Another bearer token than the identity's own (a fresh session); null: none. */
  token?: string | null;
}
/** The request an identity sends on a row; `memo` is shared by the row's cells (one signature for all, say). */
type Build = (who: Who, memo: Map<string, unknown>) => Req | Promise<Req>;
interface Row {
  method: string;
  /** The route as the Koa router registers it. */
  route: string;
  /** The concrete path: `{name}` is a fixture (see `fx`), per identity where an action works once. */
  path: string;
  /** What is special about this row's request, when the path does not say it. */
  with: string;
  expect: Record<Who, Cell>;
  build?: Build;
}

function row(method: string, route: string, path: string, withWhat: string, cells: [Cell, Cell, Cell, Cell, Cell, Cell], build?: Build): Row {
  return { method, route, path, with: withWhat, expect: Object.fromEntries(WHO.map((w, i) => [w, cells[i]!])) as Record<Who, Cell>, ...(build ? { build } : {}) };
}

const json = (body: unknown, headers?: Record<string, string>): Build => () => (headers ? { body, headers } : { body });

// prettier-ignore
const MATRIX: Row[] = [
  //  method    route                                   concrete path                                   with                               anon  A    B    X    Y    adminX
  row('GET',    '/healthz',                              '/healthz',                                     '',                                [200, 200, 200, 200, 200, 200]),

  row('POST',   '/api/v1/auth/register/options',        '/api/v1/auth/register/options',                '{displayName}',                   [200, 200, 200, 200, 200, 200], json({ displayName: 'Nova Osoba' })),
  row('POST',   '/api/v1/auth/register/verify',         '/api/v1/auth/register/verify',                 'a fresh passkey',                 [201, 201, 201, 201, 201, 201], (w) => freshRegistration(w)),
  row('POST',   '/api/v1/auth/login/options',           '/api/v1/auth/login/options',                   '{}',                              [200, 200, 200, 200, 200, 200], json({})),
  row('POST',   '/api/v1/auth/login/verify',            '/api/v1/auth/login/verify',                    'own passkey (anon: A\'s)',        [200, 200, 200, 200, 200, 200], (w) => signInBody(w)),
  row('POST',   '/api/v1/auth/recover/options',         '/api/v1/auth/recover/options',                 'a code the agency issued for a lost account', [200, 200, 200, 200, 200, 200], async () => ({ body: { recoveryCode: (await lostAccountCode()).code } })),
  row('POST',   '/api/v1/auth/recover/verify',          '/api/v1/auth/recover/verify',                  'a new passkey for a lost account', [201, 201, 201, 201, 201, 201], () => recoveryBody()),
  row('POST',   '/api/v1/auth/logout',                  '/api/v1/auth/logout',                          'a fresh session of one\'s own',   [401, 204, 204, 204, 204, 204], async (w) => ({ token: w === 'anon' ? null : await freshSession(w) })),
  row('GET',    '/api/v1/me',                           '/api/v1/me',                                   '',                                [401, 200, 200, 200, 200, 200]),
  row('GET',    '/api/v1/me/passkeys',                  '/api/v1/me/passkeys',                          'mine only',                       [401, 200, 200, 200, 200, 200]),
  row('POST',   '/api/v1/me/passkeys/options',          '/api/v1/me/passkeys/options',                  '{}',                              [401, 200, 200, 200, 200, 200], json({})),
  row('DELETE', '/api/v1/me/passkeys/:id',              '/api/v1/me/passkeys/{passkeyA2}',              'A\'s second passkey',             [401, 204, 404, 404, 404, 404]),
  row('DELETE', '/api/v1/me/passkeys/:id',              '/api/v1/me/passkeys/{passkeyB}',               'B\'s only passkey',               [401, 404, 409, 404, 404, 404]),
  row('POST',   '/api/v1/me/passkeys',                  '/api/v1/me/passkeys',                          'own flow, a new device',          [401, 201, 201, 201, 201, 201], (w) => ownPasskeyBody(w)),
  row('POST',   '/api/v1/me/passkeys',                  '/api/v1/me/passkeys',                          'A\'s flow, a new device',         [401, 201, 400, 400, 400, 400], () => passkeyBodyFor(people.citizenA)),

  row('GET',    '/api/v1/forms',                        '/api/v1/forms',                                '',                                [200, 200, 200, 200, 200, 200]),
  row('GET',    '/api/v1/forms/:id',                    '/api/v1/forms/certificate-of-residence',       'a public form',                   [200, 200, 200, 200, 200, 200]),
  row('GET',    '/api/v1/forms/:id',                    '/api/v1/forms/internal-memo',                  'an internal form of X',           [404, 404, 404, 200, 404, 200]),

  row('POST',   '/api/v1/applications',                 '/api/v1/applications',                         'a residence draft, one shared Idempotency-Key', [401, 201, 201, 201, 201, 201], json({ formId: 'certificate-of-residence', formVersion: 1, data: residence() }, { 'Idempotency-Key': 'matrix-one-key-for-everybody' })),
  row('POST',   '/api/v1/applications',                 '/api/v1/applications',                         'an internal memo of X',           [401, 403, 403, 201, 403, 201], json({ formId: 'internal-memo', formVersion: 1, data: memo() })),
  row('GET',    '/api/v1/applications',                 '/api/v1/applications?limit=100',               'mine only',                       [401, 200, 200, 200, 200, 200]),
  row('GET',    '/api/v1/applications/:id',             '/api/v1/applications/{draftA}',                'A\'s draft: hers alone',          [401, 200, 404, 404, 404, 404]),
  row('GET',    '/api/v1/applications/:id',             '/api/v1/applications/{permitA}',               'A\'s submitted permit',           [401, 200, 404, 200, 404, 200]),
  row('GET',    '/api/v1/applications/:id',             '/api/v1/applications/{draftB}',                'B\'s draft: his alone',           [401, 404, 200, 404, 404, 404]),
  row('GET',    '/api/v1/applications/:id',             '/api/v1/applications/{unknownId}',             'no such application',             [401, 404, 404, 404, 404, 404]),
  row('PUT',    '/api/v1/applications/:id',             '/api/v1/applications/{draftA}',                'new answers',                     [401, 200, 404, 404, 404, 404], json({ data: residence({ apartment: '7' }) })),
  row('PUT',    '/api/v1/applications/:id',             '/api/v1/applications/{permitA}',               'submitted: no longer editable',   [401, 409, 404, 404, 404, 404], () => ({ body: { data: permitData() } })),
  row('POST',   '/api/v1/applications/:id/submit',      '/api/v1/applications/{submittable}/submit',    '{}',                              [401, 200, 404, 404, 404, 404], json({})),

  row('POST',   '/api/v1/signatures/options',           '/api/v1/signatures/options',                   'submit {draftA}',                 [401, 200, 404, 404, 404, 404], () => ({ body: { subject: { type: 'application', id: fx.draftA }, action: 'submit' } })),
  row('POST',   '/api/v1/signatures/options',           '/api/v1/signatures/options',                   'approve {inReview} (the head\'s step)', [401, 404, 404, 200, 404, 403], () => ({ body: { subject: { type: 'decision', id: `${fx.inReview}:approve` }, action: 'approve' } })),
  row('POST',   '/api/v1/signatures/options',           '/api/v1/signatures/options',                   'review {permitA} (a clerk\'s step)', [401, 404, 404, 403, 404, 403], () => ({ body: { subject: { type: 'decision', id: `${fx.permitA}:review` }, action: 'review' } })),
  row('POST',   '/api/v1/signatures/options',           '/api/v1/signatures/options',                   'accept {recR1} (sent to Y)',      [401, 403, 404, 403, 200, 403], () => ({ body: { subject: { type: 'reception', id: fx.recR1 }, action: 'accept' } })),
  row('POST',   '/api/v1/signatures',                   '/api/v1/signatures',                           'one\'s own flow (anon: A\'s)',    [401, 201, 201, 201, 201, 201], (w) => ownSignatureBody(w)),
  row('POST',   '/api/v1/signatures',                   '/api/v1/signatures',                           'A\'s flow, signed by the caller', [401, 201, 400, 400, 400, 400], (w) => stolenFlowBody(w)),
  row('GET',    '/api/v1/signatures/:id',               '/api/v1/signatures/{sigSubmitA}',              'A\'s signature on her permit',    [401, 200, 404, 200, 404, 200]),
  row('GET',    '/api/v1/signatures/:id',               '/api/v1/signatures/{sigReview}',               'the clerk\'s review of {inReview}', [401, 404, 404, 200, 404, 200]),
  row('GET',    '/api/v1/signatures/:id',               '/api/v1/signatures/{sigReceptionY}',           'Y\'s receipt of {docSent}',       [401, 200, 404, 200, 200, 200]),

  row('GET',    '/api/v1/documents/:id',                '/api/v1/documents/{docA}',                     'not sent anywhere',               [401, 200, 404, 200, 404, 200]),
  row('GET',    '/api/v1/documents/:id',                '/api/v1/documents/{docSent}',                  'sent to Y',                       [401, 200, 404, 200, 200, 200]),
  row('GET',    '/api/v1/documents/:id/pdf',            '/api/v1/documents/{docA}/pdf',                 '',                                [401, 200, 404, 200, 404, 200]),
  row('GET',    '/api/v1/documents/:id/pdf',            '/api/v1/documents/{docSent}/pdf',              '',                                [401, 200, 404, 200, 200, 200]),
  row('POST',   '/api/v1/documents/:id/distribute',     '/api/v1/documents/{docA}/distribute',          'X → Z1, adminX → Z2',             [401, 403, 404, 200, 404, 200], (w) => distributeBody(w)),
  row('POST',   '/api/v1/documents/:id/distribute',     '/api/v1/documents/{docSent}/distribute',       'X → Z1, adminX → Z2',             [401, 403, 404, 200, 403, 200], (w) => distributeBody(w)),
  row('POST',   '/api/v1/documents/:id/revoke',         '/api/v1/documents/{revocable}/revoke',         '{reason}; adminX revokes its own copy', [401, 403, 404, 200, 403, 200], json({ reason: 'Izdato na pogrešnu adresu' })),

  row('GET',    '/api/v1/reception',                    '/api/v1/reception?limit=100',                  'my agency\'s only',               [401, 403, 403, 200, 200, 200]),
  row('POST',   '/api/v1/reception/:id/accept',         '/api/v1/reception/{recSent}/accept',           'Y\'s signature',                  [401, 403, 403, 404, 200, 404], () => ({ body: { signatureId: fx.sigReceptionY } })),
  row('POST',   '/api/v1/reception/:id/reject',         '/api/v1/reception/{recSent}/reject',           'a local reception: not a partner\'s', [401, 403, 403, 404, 404, 404], json({ signatureId: 'x', reason: 'Nije za nas' })),
  row('GET',    '/api/v1/reception/:id/pdf',            '/api/v1/reception/{recSent}/pdf',              'a local reception: not a partner\'s', [401, 404, 404, 404, 404, 404]),

  row('POST',   '/api/v1/exchange/messages',            '/api/v1/exchange/messages',                    'no envelope (server to server, signed)', [400, 400, 400, 400, 400, 400], json({})),
  row('POST',   '/api/v1/documents/:id/exchange/:messageId/retry', '/api/v1/documents/{docA}/exchange/{unknownId}/retry', 'no such message', [401, 404, 404, 404, 404, 404]),
  row('GET',    '/api/v1/agencies',                     '/api/v1/agencies',                             'local and partner agencies',      [401, 403, 403, 200, 200, 200]),

  row('GET',    '/api/v1/trust',                        '/api/v1/trust',                                '',                                [200, 200, 200, 200, 200, 200]),

  row('GET',    '/api/v1/inbox',                        '/api/v1/inbox?limit=100',                      'my agency\'s cases only',         [401, 403, 403, 200, 200, 200]),
  row('GET',    '/api/v1/inbox',                        '/api/v1/inbox?q={trackingInReview}',           'searching X\'s tracking number',  [401, 403, 403, 200, 200, 200]),
  row('GET',    '/api/v1/inbox/events',                 '/api/v1/inbox/events',                         'the stream (closed at once)',     [401, 403, 403, 200, 200, 200]),

  row('GET',    '/api/v1/cases/:id',                    '/api/v1/cases/{inReview}',                     'a case in review',                [401, 403, 403, 200, 404, 200]),
  row('GET',    '/api/v1/cases/:id',                    '/api/v1/cases/{draftA}',                       'a draft is nobody\'s case',       [401, 403, 403, 404, 404, 404]),
  row('POST',   '/api/v1/cases/:id/decisions',          '/api/v1/cases/{approvable}/decisions',         'approve, with X\'s signature',    [401, 403, 403, 200, 403, 403], (_w, memo) => approveBody(memo)),
  row('POST',   '/api/v1/cases/:id/decisions',          '/api/v1/cases/{permitA}/decisions',            'review: a clerk\'s step',         [401, 403, 403, 403, 403, 403], () => reviewBody()),
  row('POST',   '/api/v1/cases/:id/fee-paid',           '/api/v1/cases/{permitA}/fee-paid',             '{statementReference}',            [401, 403, 403, 200, 404, 403], json({ statementReference: 'Izvod 7/2026' })),
  row('POST',   '/api/v1/cases/:id/fee-unpaid',         '/api/v1/cases/{permitA}/fee-unpaid',           '{reason}: undo the mark',         [401, 403, 403, 200, 404, 403], json({ reason: 'Pogrešan izvod' })),

  row('POST',   '/api/v1/delegations',                  '/api/v1/delegations',                          'to a colleague',                  [401, 403, 403, 201, 201, 201], (w) => delegationBody(w, 'colleague')),
  row('POST',   '/api/v1/delegations',                  '/api/v1/delegations',                          'to another agency\'s official',   [401, 403, 403, 400, 400, 400], (w) => delegationBody(w, 'foreign')),
  row('GET',    '/api/v1/delegations',                  '/api/v1/delegations',                          'mine only',                       [401, 403, 403, 200, 200, 200]),
  row('DELETE', '/api/v1/delegations/:id',              '/api/v1/delegations/{revocableDelegation}',    'X\'s to the clerk',               [401, 403, 403, 200, 404, 404]),

  row('PUT',    '/api/v1/me/email',                     '/api/v1/me/email',                             '{address, lang}: a code is sent', [401, 202, 202, 202, 202, 202], json({ address: 'osoba@example.org', lang: 'sr-Latn' })),
  row('POST',   '/api/v1/me/email/confirm',             '/api/v1/me/email/confirm',                     'a code that was not sent',        [401, 400, 400, 400, 400, 400], json({ code: '000000' })),
  row('PUT',    '/api/v1/me/email/notifications',       '/api/v1/me/email/notifications',               'no confirmed address yet',        [401, 409, 409, 409, 409, 409], json({ notifications: true })),
  row('DELETE', '/api/v1/me/email',                     '/api/v1/me/email',                             'mine',                            [401, 204, 204, 204, 204, 204]),
  row('GET',    '/api/v1/mail/unsubscribe',             '/api/v1/mail/unsubscribe?token=nobodys-token', 'a token nobody has',              [404, 404, 404, 404, 404, 404]),
  row('POST',   '/api/v1/mail/unsubscribe',             '/api/v1/mail/unsubscribe?token=nobodys-token', 'a token nobody has',              [404, 404, 404, 404, 404, 404]),

  row('GET',    '/api/v1/admin/webhooks',               '/api/v1/admin/webhooks',                       'my agency\'s endpoints',         [401, 403, 403, 403, 403, 200]),
  row('POST',   '/api/v1/admin/webhooks',               '/api/v1/admin/webhooks',                       '{url, events}',                   [401, 403, 403, 403, 403, 201], json({ url: 'https://registry.novi-primer.example/hooks', events: ['document.issued'] })),
  row('POST',   '/api/v1/admin/webhooks/:id/rotate',    '/api/v1/admin/webhooks/{hookX}/rotate',        'X\'s endpoint',                   [401, 403, 403, 403, 403, 200]),
  row('POST',   '/api/v1/admin/webhooks/:id/test',      '/api/v1/admin/webhooks/{hookX}/test',          'X\'s endpoint',                   [401, 403, 403, 403, 403, 202]),
  row('GET',    '/api/v1/admin/webhooks/:id/deliveries', '/api/v1/admin/webhooks/{hookX}/deliveries',  'X\'s endpoint',                   [401, 403, 403, 403, 403, 200]),
  row('GET',    '/api/v1/admin/webhooks/:id/deliveries', '/api/v1/admin/webhooks/{hookAll}/deliveries', 'the operator\'s, every agency',    [401, 403, 403, 403, 403, 404]),
  row('POST',   '/api/v1/admin/webhooks/deliveries/:id/retry', '/api/v1/admin/webhooks/deliveries/{hookDelivery}/retry', 'a failed delivery to X\'s endpoint', [401, 403, 403, 403, 403, 202]),
  row('DELETE', '/api/v1/admin/webhooks/:id',           '/api/v1/admin/webhooks/{hookGone}',            'X\'s spare endpoint',             [401, 403, 403, 403, 403, 204]),

  // Forms in the database: X's administrator only (an official of X, or of Y, is refused as a citizen is).
  row('GET',    '/api/v1/admin/forms',                  '/api/v1/admin/forms',                          'my agency\'s forms',              [401, 403, 403, 403, 403, 200]),
  row('POST',   '/api/v1/admin/forms/check',            '/api/v1/admin/forms/check',                    'a definition',                    [401, 403, 403, 403, 403, 200], json(matrixForm('matrix-check'))),
  row('GET',    '/api/v1/admin/forms/:id',              '/api/v1/admin/forms/certificate-of-residence', 'X\'s form, from the folder',      [401, 403, 403, 403, 403, 200]),
  row('PUT',    '/api/v1/admin/forms/:id/draft',        '/api/v1/admin/forms/matrix-new/draft',         'a new form of X',                 [401, 403, 403, 403, 403, 200], json(matrixForm('matrix-new'))),
  row('DELETE', '/api/v1/admin/forms/:id/draft',        '/api/v1/admin/forms/matrix-spare/draft',       'X\'s draft',                      [401, 403, 403, 403, 403, 204]),
  row('POST',   '/api/v1/admin/forms/:id/publish',      '/api/v1/admin/forms/matrix-publish/publish',   'X\'s draft',                      [401, 403, 403, 403, 403, 201], json({})),
  row('POST',   '/api/v1/admin/forms/:id/retire',       '/api/v1/admin/forms/matrix-retire/retire',     'X\'s published form',             [401, 403, 403, 403, 403, 204], json({})),
  row('GET',    '/api/v1/admin/forms/:id/versions/:version', '/api/v1/admin/forms/certificate-of-residence/versions/1', 'X\'s form', [401, 403, 403, 403, 403, 200]),
  row('GET',    '/api/v1/admin/forms/:id/versions/:version/diff', '/api/v1/admin/forms/certificate-of-residence/versions/1/diff', 'X\'s form', [401, 403, 403, 403, 403, 200]),

  row('POST',   '/api/v1/uploads',                      '/api/v1/uploads',                              'a PNG',                           [401, 201, 201, 201, 201, 201], () => pngUpload()),
  row('GET',    '/api/v1/uploads/:id',                  '/api/v1/uploads/{uploadA}',                    'attached to {permitA}, a case of X', [401, 200, 404, 200, 404, 200]),
  row('GET',    '/api/v1/uploads/:id',                  '/api/v1/uploads/{uploadInDraft}',              'attached to A\'s draft only',     [401, 200, 404, 404, 404, 404]),
  row('GET',    '/api/v1/uploads/:id',                  '/api/v1/uploads/{uploadB}',                    'B\'s, attached to nothing',       [401, 404, 200, 404, 404, 404]),

  row('GET',    '/api/v1/audit',                        '/api/v1/audit?limit=200',                      '',                                [401, 403, 403, 403, 403, 200]),
  row('GET',    '/api/v1/audit/verify',                 '/api/v1/audit/verify',                         '',                                [401, 403, 403, 403, 403, 200]),

  row('POST',   '/api/v1/verify',                       '/api/v1/verify',                               '{docA}\'s PDF',                   [200, 200, 200, 200, 200, 200], () => ({ raw: new Uint8Array(pdfA), contentType: 'application/pdf' })),
  row('GET',    '/api/v1/verify/:code',                 '/api/v1/verify/{codeA}',                       '',                                [200, 200, 200, 200, 200, 200]),
  row('GET',    '/api/v1/verify/:code',                 '/api/v1/verify/ACDE-FGHJ-KMNP-QRTU-VWXY',      'no such code',                    [404, 404, 404, 404, 404, 404]),
  row('GET',    '/api/v1/verify/:code/pdf',             '/api/v1/verify/{codeA}/pdf',                   'the genuine PDF: public',         [200, 200, 200, 200, 200, 200]),

  row('GET',    '/api/v1/open-data/statistics.json',   '/api/v1/open-data/statistics.json',            'aggregates only',                 [200, 200, 200, 200, 200, 200]),
  row('GET',    '/api/v1/open-data/statistics.csv',    '/api/v1/open-data/statistics.csv?lang=sr-Cyrl','aggregates only',                 [200, 200, 200, 200, 200, 200]),

  row('GET',    '/api/v1/openapi.json',                 '/api/v1/openapi.json',                         '',                                [200, 200, 200, 200, 200, 200]),
];

// ---------------------------------------------------------------------------------------------
// The data

let server: TestServer;
const people = {} as Record<Person | 'clerkX' | 'officialY2', Account>;
/** Fixtures by name; a per-identity object where an action works only once (`default` for the rest). */
const fx: Record<string, string> = {};
const perWho: Record<string, Partial<Record<Who, string>>> = {};
let pdfA: Buffer;

const tokenOf = (w: Who): string | undefined => (w === 'anon' ? undefined : people[w].token);

function residence(overrides: Record<string, unknown> = {}) {
  return {
    firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer',
    postalCode: '21000', purpose: 'employment', delivery: 'online', ...overrides,
  };
}

function memo() {
  return { subject: 'Nabavka kancelarijskog materijala', body: 'Predlaže se nabavka papira i tonera za prvi kvartal.' };
}

function permitData() {
  return {
    investorType: 'person', investorName: 'Ana Anić', investorJmbg: JMBG, email: 'ana@example.rs',
    cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²',
    estimatedValue: 8_500_000, projectDocumentation: [fx.uploadA!], ownershipProof: [fx.uploadA2!], declaration: true,
  };
}

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

interface Options { flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }

async function signingOptions(who: Account, subject: { type: string; id: string }, action: string): Promise<Options> {
  return ok(await server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } }));
}

async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<string> {
  const o = await signingOptions(who, subject, action);
  const credential = await who.authenticator.get(o.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.flowId, credential } }), 201).id;
}

async function decide(who: Account, appId: string, step: string, decision: string): Promise<string> {
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision);
  const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(current);
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId },
  }));
  return signatureId;
}

async function upload(who: Account, bytes: Buffer, filename: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${who.token}` }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

async function draft(who: Account, formId: string, data: Record<string, unknown>): Promise<string> {
  return ok(await server.api<{ id: string }>('POST', '/api/v1/applications', { token: who.token, body: { formId, formVersion: 1, data } }), 201).id;
}

async function submitted(who: Account, data = residence()): Promise<string> {
  const id = await draft(who, 'certificate-of-residence', data);
  ok(await server.api('POST', `/api/v1/applications/${id}/submit`, { token: who.token, body: {} }));
  return id;
}

/** A certificate of residence of A through its approval line: issued on approval. Returns the document's id. */
async function issued(): Promise<string> {
  const id = await submitted(people.citizenA);
  await decide(people.clerkX, id, 'review', 'review');
  await decide(people.officialX, id, 'approve', 'approve');
  const app = ok(await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${id}`, { token: people.citizenA.token }));
  assert.equal(app.status, 'issued');
  return app.documentId!;
}

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    // Mail offered (nothing is sent: no outbox worker runs in this server), so its routes answer as they would.
    OVERA_SMTP_URL: 'smtp://127.0.0.1:9', OVERA_MAIL_FROM: 'Overa <overa@novi-primer.example>' });
  const now = Date.now();
  await seedDemo(server.db, now);
  for (const z of [Z1, Z2]) await agencies.upsert(server.db, { ...z, created_at: now });
  const invited = async (name: string, agencyId: string, roles: string[], kind?: 'admin') =>
    registerAccount(server, name, await createInvite(server.db, { agencyId, roles, ...(kind ? { kind } : {}) }, now));
  people.citizenA = await registerAccount(server, NAMES.citizenA);
  people.citizenB = await registerAccount(server, NAMES.citizenB);
  people.officialX = await invited(NAMES.officialX, X, ['head']);
  people.clerkX = await invited(NAMES.clerkX, X, ['clerk']);
  people.adminX = await invited(NAMES.adminX, X, [], 'admin');
  people.officialY = await invited(NAMES.officialY, Y, ['registrar']);
  people.officialY2 = await invited(NAMES.officialY2, Y, ['registrar']);
  assert.equal(people.adminX.user.kind, 'admin');
  assert.equal(people.officialX.user.kind, 'official');
  const { citizenA: a, citizenB: b, clerkX: clerk, officialY: y } = people;

  // A's building permit: two uploads, signed by A, submitted (its review is a clerk's step).
  // A's second passkey (a row removes it), and B's only one (which nobody can remove).
  const second = await passkeyBodyFor(a);
  fx.passkeyA2 = encodeURIComponent(ok(await server.api<{ id: string }>('POST', '/api/v1/me/passkeys', { token: a.token, body: second.body }), 201).id);
  fx.passkeyB = encodeURIComponent(b.authenticator.id);
  fx.uploadA = await upload(a, samplePdf('situacioni plan'), 'plan.pdf', 'application/pdf');
  fx.uploadA2 = await upload(a, samplePng(), 'vlasnistvo.png', 'image/png');
  fx.permitA = await draft(a, 'building-permit', permitData());
  fx.sigSubmitA = await sign(a, { type: 'application', id: fx.permitA }, 'submit');
  ok(await server.api('POST', `/api/v1/applications/${fx.permitA}/submit`, { token: a.token, body: { signatureId: fx.sigSubmitA } }));
  // A's second permit, a draft: its upload is nobody's business but hers (a draft is nobody's case).
  fx.uploadInDraft = await upload(a, samplePdf('skica'), 'skica.pdf', 'application/pdf');
  await draft(a, 'building-permit', { investorType: 'person', investorName: 'Ana Anić', projectDocumentation: [fx.uploadInDraft] });
  // Drafts: A's, B's, and one of A's that a row submits.
  fx.draftA = await draft(a, 'certificate-of-residence', residence());
  fx.submittable = await draft(a, 'certificate-of-residence', residence({ street: 'Njegoševa 3' }));
  fx.draftB = await draft(b, 'certificate-of-residence', residence({ firstName: 'Boris', lastName: 'Borić', street: 'Dunavska 5' }));
  fx.uploadB = await upload(b, samplePng([10, 20, 30]), 'licna-karta.png', 'image/png');
  fx.unknownId = randomUUID();
  // Cases in review: the clerk reviewed them, the head approves next.
  fx.inReview = await submitted(a, residence({ street: 'Zmaj Jovina 1' }));
  fx.sigReview = await decide(clerk, fx.inReview, 'review', 'review');
  fx.approvable = await submitted(a, residence({ street: 'Zmaj Jovina 2' }));
  await decide(clerk, fx.approvable, 'review', 'review');
  // Issued documents: one kept at X, one sent to Y, and two for the revocation row.
  fx.docA = await issued();
  fx.docSent = await issued();
  fx.revocable = await issued();
  perWho.revocable = { adminX: await issued() };
  for (const doc of [fx.docSent, fx.revocable]) {
    ok(await server.api('POST', `/api/v1/documents/${doc}/distribute`, { token: clerk.token, body: { agencyIds: [Y] } }));
  }
  const received = ok(await server.api<Page<ReceptionItem>>('GET', '/api/v1/reception?limit=100', { token: y.token })).items;
  fx.recSent = received.find((r) => r.documentId === fx.docSent)!.id;
  // Webhooks: two endpoints of X's administrator, one of the operator's (every agency: no
  // administrator manages it), and a delivery to X's that failed (what a retry is for).
  const hook = async () => ok(await server.api<{ id: string }>('POST', '/api/v1/admin/webhooks', { token: people.adminX.token, body: { url: 'https://registry.novi-primer.example/hooks', events: ['*'] } }), 201).id;
  fx.hookX = await hook();
  fx.hookGone = await hook();
  fx.hookAll = (await addWebhook({ db: server.db, config: { webhookSecretKey: Buffer.alloc(32, 7).toString('base64') }, now: Date.now } as Parameters<typeof addWebhook>[0], { url: 'https://archive.example/hooks', events: ['*'], agencyId: null })).id;
  fx.hookDelivery = ok(await server.api<{ deliveryId: string }>('POST', `/api/v1/admin/webhooks/${fx.hookX}/test`, { token: people.adminX.token, body: {} }), 202).deliveryId;
  await server.db('outbox_messages').where({ id: fx.hookDelivery }).update({ state: 'failed' });
  // Forms of X's administrator: a draft to throw away, one to publish, a published one to retire.
  const formDraft = async (id: string) => ok(await server.api('PUT', `/api/v1/admin/forms/${id}/draft`, { token: people.adminX.token, body: matrixForm(id) }));
  for (const id of ['matrix-spare', 'matrix-publish', 'matrix-retire']) await formDraft(id);
  ok(await server.api('POST', '/api/v1/admin/forms/matrix-retire/publish', { token: people.adminX.token, body: {} }), 201);
  fx.recR1 = received.find((r) => r.documentId === fx.revocable)!.id;
  fx.sigReceptionY = await sign(y, { type: 'reception', id: fx.recSent }, 'accept');
  const docA = ok(await server.api<DocumentDetails>('GET', `/api/v1/documents/${fx.docA}`, { token: a.token }));
  fx.codeA = docA.verificationCode;
  pdfA = Buffer.from(await (await fetch(`${server.url}/api/v1/documents/${fx.docA}/pdf`, { headers: { Authorization: `Bearer ${a.token}` } })).arrayBuffer());
  fx.trackingInReview = ok(await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${fx.inReview}`, { token: a.token })).trackingNumber;
  // Delegations: X's head to the clerk (two: one a row revokes), and Y's own.
  const window = { from: new Date(now).toISOString(), until: new Date(now + 7 * 24 * HOUR).toISOString() };
  const delegate = async (from: Account, to: Account) =>
    ok(await server.api<DelegationView>('POST', '/api/v1/delegations', { token: from.token, body: { toUserId: to.user.id, ...window } }), 201).id;
  fx.delegationX = await delegate(people.officialX, clerk);
  fx.revocableDelegation = await delegate(people.officialX, clerk);
  fx.delegationY = await delegate(y, people.officialY2);
});
after(() => server?.close());

/** `{name}` → the fixture (the identity's own copy where there is one). */
function resolve(path: string, who: Who): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => perWho[name]?.[who] ?? fx[name] ?? assert.fail(`no fixture {${name}}`));
}

// ---------------------------------------------------------------------------------------------
// Request builders for rows whose requests need more than a body

async function freshRegistration(who: Who): Promise<Req> {
  const options = ok(await server.api<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>('POST', '/api/v1/auth/register/options', { body: { displayName: `Nova Osoba ${who}` } }));
  const credential = await new SoftAuthenticator(TEST_ORIGIN).create(options.publicKey);
  return { body: { flowId: options.flowId, credential } };
}

/** An account whose passkeys are all lost (made for the row, nobody else's) and a recovery code the agency issued for it. */
async function lostAccountCode(): Promise<{ code: string }> {
  const lost = await registerAccount(server, `Izgubljeni ${randomUUID().slice(0, 8)}`);
  return issueRecoveryCode(server.db, { userId: lost.user.id }, Date.now());
}

/** A new passkey for a lost account, from its recovery code. */
async function recoveryBody(): Promise<Req> {
  const { code } = await lostAccountCode();
  const options = ok(await server.api<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>('POST', '/api/v1/auth/recover/options', { body: { recoveryCode: code } }));
  return { body: { flowId: options.flowId, credential: await new SoftAuthenticator(TEST_ORIGIN).create(options.publicKey) } };
}

/** Options to add a passkey to `account`, answered by a new (software) device. */
async function passkeyBodyFor(account: Account): Promise<Req> {
  const options = ok(await server.api<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>('POST', '/api/v1/me/passkeys/options', { token: account.token, body: {} }));
  const credential = await new SoftAuthenticator(TEST_ORIGIN).create(options.publicKey);
  return { body: { flowId: options.flowId, credential } };
}

/** A flow of the caller's own to add a passkey (nobody's: A's, sent without a token). */
function ownPasskeyBody(who: Who): Promise<Req> {
  return passkeyBodyFor(people[who === 'anon' ? 'citizenA' : who]);
}

/** Sign-in with the identity's own passkey (nobody's: A's, on a device where she is not signed in). */
async function signInBody(who: Who): Promise<Req> {
  const account = people[who === 'anon' ? 'citizenA' : who];
  const options = ok(await server.api<Options>('POST', '/api/v1/auth/login/options', { body: {} }));
  return { body: { flowId: options.flowId, credential: await account.authenticator.get(options.publicKey) } };
}

async function freshSession(who: Person): Promise<string> {
  const req = await signInBody(who);
  return ok(await server.api<{ token: string }>('POST', '/api/v1/auth/login/verify', { body: req.body })).token;
}

/** A flow of the caller's own: options to submit a fresh draft of theirs (nobody's: A's, sent without a token). */
async function ownSignatureBody(who: Who): Promise<Req> {
  const account = people[who === 'anon' ? 'citizenA' : who];
  const id = await draft(account, 'certificate-of-residence', residence({ street: `Ulica ${who}` }));
  const o = await signingOptions(account, { type: 'application', id }, 'submit');
  return { body: { flowId: o.flowId, credential: await account.authenticator.get(o.publicKey) } };
}

/** A's flow (to submit her draft), signed with the caller's own passkey: a flow is its starter's only. */
async function stolenFlowBody(who: Who): Promise<Req> {
  const o = await signingOptions(people.citizenA, { type: 'application', id: fx.draftA! }, 'submit');
  const signer = people[who === 'anon' ? 'citizenA' : who];
  return { body: { flowId: o.flowId, credential: await signer.authenticator.get(o.publicKey) } };
}

function distributeBody(who: Who): Req {
  return { body: { agencyIds: [who === 'adminX' ? Z2.id : Z1.id] } };
}

/** The head's own signature on approving {approvable}, at its current version: everybody sends it, only he may use it. */
async function approveBody(memo: Map<string, unknown>): Promise<Req> {
  if (!memo.has('signatureId')) memo.set('signatureId', await sign(people.officialX, { type: 'decision', id: `${fx.approvable}:approve` }, 'approve'));
  const version = (await server.db('applications').where({ id: fx.approvable }).first('version')).version as number;
  return { body: { step: 'approve', decision: 'approve', signatureId: memo.get('signatureId') }, headers: { 'If-Match': `"${version}"` } };
}

/** Nobody of the six may review (a clerk's step): no signature can be had, so the id is one that never existed. */
async function reviewBody(): Promise<Req> {
  const version = (await server.db('applications').where({ id: fx.permitA }).first('version')).version as number;
  return { body: { step: 'review', decision: 'review', signatureId: randomUUID() }, headers: { 'If-Match': `"${version}"` } };
}

function delegationBody(who: Who, to: 'colleague' | 'foreign'): Req {
  const colleague: Partial<Record<Who, Account>> = { officialX: people.clerkX, adminX: people.officialX, officialY: people.officialY2 };
  const foreign: Partial<Record<Who, Account>> = { officialX: people.officialY, adminX: people.officialY, officialY: people.clerkX };
  const target = (to === 'colleague' ? colleague : foreign)[who] ?? people.clerkX;
  const now = Date.now();
  return { body: { toUserId: target.user.id, from: new Date(now).toISOString(), until: new Date(now + 3 * 24 * HOUR).toISOString() } };
}

function pngUpload(): Req {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(samplePng([0, 128, 255]))], { type: 'image/png' }), 'slika.png');
  return { raw: form };
}

// ---------------------------------------------------------------------------------------------
// Walking the table

interface Answer {
  status: number;
  headers: Headers;
  type: string;
  text: string;
  body: unknown;
}

async function send(method: string, path: string, who: Who, req: Req): Promise<Answer> {
  const headers: Record<string, string> = { ...req.headers };
  const token = req.token === undefined ? tokenOf(who) : req.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (req.raw !== undefined) {
    body = req.raw;
    if (req.contentType) headers['Content-Type'] = req.contentType;
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(server.url + path, { method, headers, body });
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    // A stream that stays open: its status and headers are the answer.
    await res.body?.cancel();
    return { status: res.status, headers: res.headers, type, text: '', body: undefined };
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = /json|text\/|pem/.test(type) ? bytes.toString('utf8') : '';
  return { status: res.status, headers: res.headers, type, text, body: /json/.test(type) && text ? JSON.parse(text) : undefined };
}

const allowed = (cell: Cell): readonly number[] => (typeof cell === 'number' ? [cell] : cell);
const succeeds = (cell: Cell) => allowed(cell).every((s) => s >= 200 && s < 300);

/** What nobody may be told unless they sent it or it is their own: names, user ids, tracking numbers, object ids. */
async function secrets(): Promise<{ value: string; owner?: string }[]> {
  const out: { value: string; owner?: string }[] = [];
  for (const [key, name] of Object.entries(NAMES)) out.push({ value: name, owner: people[key as keyof typeof people].user.id });
  for (const p of Object.values(people)) out.push({ value: p.user.id, owner: p.user.id });
  for (const a of await server.db('applications').select('id', 'tracking_number', 'owner_id')) {
    out.push({ value: a.id, owner: a.owner_id }, { value: a.tracking_number, owner: a.owner_id });
  }
  for (const d of await server.db('documents').select('id', 'verification_code', 'owner_id')) {
    out.push({ value: d.id, owner: d.owner_id }, { value: d.verification_code, owner: d.owner_id });
  }
  for (const r of await server.db('document_recipients').select('id')) out.push({ value: r.id });
  for (const d of await server.db('delegations').select('id')) out.push({ value: d.id });
  for (const u of await server.db('uploads').select('id', 'owner_id')) out.push({ value: u.id, owner: u.owner_id });
  for (const s of await server.db('signatures').select('id', 'signer_id')) out.push({ value: s.id, owner: s.signer_id });
  return out;
}

/** An error answer is problem+json and names nothing of anybody else's that the caller did not send. */
async function assertNothingLeaks(label: string, who: Who, sent: string, answer: Answer): Promise<void> {
  if (answer.status < 400) return;
  assert.match(answer.type, /^application\/problem\+json/, `${label}: an error is problem+json`);
  const { instance: _instance, requestId: _requestId, ...problem } = answer.body as Record<string, unknown>;
  const text = JSON.stringify(problem);
  const me = who === 'anon' ? undefined : people[who].user.id;
  for (const s of await secrets()) {
    if (sent.includes(s.value) || (me !== undefined && s.owner === me)) continue;
    assert.ok(!text.includes(s.value), `${label}: the ${answer.status} answer names "${s.value}": ${text}`);
  }
}

async function auditEntries(): Promise<number> {
  return Number((await server.db('audit_log').count({ n: '*' }).first())!.n);
}

/** Every answer, for the listing checks: `${row index}:${who}`. */
const answers = new Map<string, Answer>();
const answerOf = (method: string, path: string, who: Who, withWhat?: string): Answer => {
  const i = MATRIX.findIndex((r) => r.method === method && r.path === path && (withWhat === undefined || r.with === withWhat));
  const a = answers.get(`${i}:${who}`);
  assert.ok(a, `no answer of ${method} ${path} for ${who}`);
  return a;
};

describe('the authorization matrix', () => {
  test(`the table has exactly the routes the app registers (${new Set(MATRIX.map((r) => `${r.method} ${r.route}`)).size} routes × ${WHO.length} identities, ${MATRIX.length} rows)`, () => {
    const registered = discoverRoutes(server.app).map((r) => `${r.method} ${r.path}`);
    const tabled = [...new Set(MATRIX.map((r) => `${r.method} ${r.route}`))];
    const missing = registered.filter((r) => !tabled.includes(r));
    const gone = tabled.filter((r) => !registered.includes(r));
    assert.deepEqual({ missing, gone }, { missing: [], gone: [] }, 'classify every new route in MATRIX (and drop the rows of removed ones)');
    for (const r of MATRIX) assert.ok(r.path.split('?')[0]!.replace(/\{\w+\}/g, 'x').split('/').length === r.route.split('/').length, `${r.path} is a path of ${r.route}`);
  });

  MATRIX.forEach((r, index) => {
    test(`${r.method} ${r.path}${r.with ? ` (${r.with})` : ''}`, async () => {
      const memo = new Map<string, unknown>();
      // Refusals first, successes last: a refusal meets the row's starting state.
      const order = [...WHO].sort((a, b) => Number(succeeds(r.expect[a])) - Number(succeeds(r.expect[b])));
      const failures: string[] = [];
      for (const who of order) {
        const path = resolve(r.path, who);
        const req = r.build ? await r.build(who, memo) : {};
        const entriesBefore = await auditEntries();
        const answer = await send(r.method, path, who, req);
        answers.set(`${index}:${who}`, answer);
        const label = `${r.method} ${path} as ${who}`;
        if (!allowed(r.expect[who]).includes(answer.status)) {
          failures.push(`${who}: expected ${allowed(r.expect[who]).join('|')}, got ${answer.status} ${answer.text.slice(0, 300)}`);
          continue;
        }
        const sent = `${path} ${req.body === undefined ? '' : JSON.stringify(req.body)}`;
        await assertNothingLeaks(label, who, sent, answer);
        // Every change appends an audit entry in its transaction: a refusal appended none.
        if (answer.status >= 400) assert.equal(await auditEntries(), entriesBefore, `${label}: the ${answer.status} changed something`);
      }
      assert.deepEqual(failures, [], `${r.method} ${r.path}`);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Listings: other people's items never appear (the answers of the matrix walk above)

const body = <T>(a: Answer): T => {
  assert.equal(a.status, 200, a.text);
  return a.body as T;
};
const officials: Who[] = ['officialX', 'officialY', 'adminX'];
const signedIn: Person[] = ['citizenA', 'citizenB', 'officialX', 'officialY', 'adminX'];

describe('listings show nobody else\'s items', () => {
  test('GET applications: my own applications only', async () => {
    for (const who of signedIn) {
      const items = body<Page<{ id: string }>>(answerOf('GET', '/api/v1/applications?limit=100', who)).items;
      assert.ok(items.length > 0, `${who} has applications of their own`);
      const owners = await server.db('applications').whereIn('id', items.map((i) => i.id)).select('owner_id');
      assert.equal(owners.length, items.length);
      assert.deepEqual([...new Set(owners.map((o: { owner_id: string }) => o.owner_id))], [people[who as Person].user.id], who);
    }
    const ids = (who: Who) => body<Page<{ id: string }>>(answerOf('GET', '/api/v1/applications?limit=100', who)).items.map((i) => i.id);
    assert.ok(ids('citizenA').includes(fx.draftA!) && ids('citizenA').includes(fx.permitA!));
    assert.ok(ids('citizenB').includes(fx.draftB!) && !ids('citizenB').includes(fx.draftA!));
  });

  test('one Idempotency-Key sent by everybody made everybody their own application, never a replay of another\'s', () => {
    const made = signedIn.map((who) => answerOf('POST', '/api/v1/applications', who, 'a residence draft, one shared Idempotency-Key'));
    for (const a of made) assert.equal(a.headers.get('idempotent-replayed'), null);
    const ids = made.map((a) => (a.body as { id: string; ownerId: string }).id);
    assert.equal(new Set(ids).size, signedIn.length);
    assert.deepEqual(made.map((a) => (a.body as { ownerId: string }).ownerId), signedIn.map((w) => people[w as Person].user.id));
  });

  test('GET forms: internal forms only to officials of their agency', () => {
    for (const who of WHO) {
      const forms = body<{ forms: { id: string; audience: string }[] }>(answerOf('GET', '/api/v1/forms', who)).forms;
      const internal = forms.filter((f) => f.audience === 'internal').map((f) => f.id).sort();
      assert.deepEqual(internal, who === 'officialX' || who === 'adminX' ? ['internal-memo', 'request-for-approval'] : [], who);
    }
  });

  test('GET inbox: my agency\'s cases, never a draft; another agency finds nothing, not even by tracking number', () => {
    for (const who of ['officialX', 'adminX'] as const) {
      const items = body<Page<InboxItem>>(answerOf('GET', '/api/v1/inbox?limit=100', who)).items;
      assert.ok(items.every((i) => i.agencyId === X), who);
      assert.ok(items.every((i) => i.status !== 'draft'));
      const ids = items.map((i) => i.id);
      for (const id of [fx.inReview, fx.approvable, fx.permitA]) assert.ok(ids.includes(id!), `${who} sees ${id}`);
      for (const id of [fx.draftA, fx.draftB]) assert.ok(!ids.includes(id!), `${who} does not see the draft ${id}`);
      assert.deepEqual(body<Page<InboxItem>>(answerOf('GET', '/api/v1/inbox?q={trackingInReview}', who)).items.map((i) => i.id), [fx.inReview]);
    }
    assert.deepEqual(body<Page<InboxItem>>(answerOf('GET', '/api/v1/inbox?limit=100', 'officialY')).items, []);
    assert.deepEqual(body<Page<InboxItem>>(answerOf('GET', '/api/v1/inbox?q={trackingInReview}', 'officialY')).items, []);
  });

  test('GET reception: documents sent to my agency only', async () => {
    for (const who of officials) {
      const items = body<Page<ReceptionItem>>(answerOf('GET', '/api/v1/reception?limit=100', who)).items;
      const rows = await server.db('document_recipients').whereIn('id', items.map((i) => i.id)).select('agency_id');
      assert.equal(rows.length, items.length);
      const mine = people[who as Person].user.agencyId;
      assert.ok(rows.every((x: { agency_id: string }) => x.agency_id === mine), who);
      if (who === 'officialY') assert.deepEqual(items.map((i) => i.documentId).sort(), [fx.docSent, fx.revocable].sort());
      else assert.deepEqual(items, [], `nothing was sent to ${who}'s agency`);
    }
  });

  test('GET delegations: the ones I gave or received only', () => {
    for (const who of officials) {
      const me = people[who as Person].user.id;
      const items = body<{ items: DelegationView[] }>(answerOf('GET', '/api/v1/delegations', who)).items;
      assert.ok(items.every((d) => d.absent.id === me || d.substitute.id === me), who);
      const ids = items.map((d) => d.id);
      assert.equal(ids.includes(fx.delegationX!), who === 'officialX');
      assert.equal(ids.includes(fx.delegationY!), who === 'officialY');
    }
  });

  test('GET documents/:id: a receiving agency sees its own reception and its own part of the history only', () => {
    const y = body<DocumentDetails>(answerOf('GET', '/api/v1/documents/{docSent}', 'officialY'));
    assert.deepEqual(y.recipients.map((r) => r.agencyId), [Y]);
    assert.ok(y.history.every((h) => h.action === 'document.issued' || h.action === 'document.revoked' || h.data.agencyId === Y), JSON.stringify(y.history));
    const x = body<DocumentDetails>(answerOf('GET', '/api/v1/documents/{docSent}', 'officialX'));
    assert.deepEqual(x.recipients.map((r) => r.agencyId), [Y], 'the issuing side sees every recipient (Z1, Z2 came later)');
  });

  test('GET open-data statistics: aggregates that name nobody and no request', async () => {
    const all = await secrets();
    for (const path of ['/api/v1/open-data/statistics.json', '/api/v1/open-data/statistics.csv?lang=sr-Cyrl']) {
      for (const who of WHO) {
        const a = answerOf('GET', path, who);
        assert.equal(a.status, 200);
        assert.ok(a.text.length > 0, path);
        for (const s of all) assert.ok(!a.text.includes(s.value), `${path} as ${who} names "${s.value}"`);
        assert.equal(a.text, answerOf('GET', path, 'anon').text, `${path}: the same for everybody`);
      }
    }
  });

  test('GET audit: an admin reads entries by their agency\'s people or about its things, and nothing else', async () => {
    const admin = people.adminX;
    const entries: { seq: number; actor: string | null; action: string; subject: { type: string; id: string } }[] = [];
    let cursor: string | null = null;
    do {
      const res: ApiResponse<Page<(typeof entries)[number]>> = await server.api('GET', `/api/v1/audit?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: admin.token });
      entries.push(...ok(res).items);
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.ok(entries.length > 50);
    const staffOfX = new Set((await server.db('users').where({ agency_id: X }).select('id')).map((u: { id: string }) => u.id));
    const TABLES: Record<string, string> = { application: 'applications', document: 'documents', delegation: 'delegations', user: 'users' };
    for (const e of entries) {
      if (e.actor !== null && staffOfX.has(e.actor)) continue;
      if (e.subject.type === 'agency' && e.subject.id === X) continue;
      const table = TABLES[e.subject.type];
      const owner = table ? await server.db(table).where({ id: e.subject.id }).first('agency_id') : undefined;
      assert.equal(owner?.agency_id, X, `an entry of nobody of X about nothing of X: ${JSON.stringify(e)}`);
    }
    const about = new Set(entries.map((e) => e.subject.id));
    assert.ok(!about.has(fx.delegationY!), 'Y\'s delegation');
    assert.ok(!about.has(fx.uploadB!) && !about.has(fx.uploadA!), 'citizens\' uploads');
    assert.ok(!about.has(people.citizenA.user.id) && !about.has(people.citizenB.user.id), 'citizens\' sign-ups and sign-ins');
    assert.ok(!about.has(people.officialY.user.id), 'Y\'s people');
    // A filter never widens: asking for Y's business answers an empty page.
    for (const q of [`subjectType=delegation&subjectId=${fx.delegationY}`, `subjectType=user&subjectId=${people.citizenB.user.id}`, `subjectType=upload&subjectId=${fx.uploadB}`]) {
      assert.deepEqual(ok(await server.api<Page<unknown>>('GET', `/api/v1/audit?${q}`, { token: admin.token })).items, [], q);
    }
  });
});
