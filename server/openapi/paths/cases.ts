import { API, header, json, jsonBody, operation, PARAMETERS, pathParam, ref, type Paths } from '../common.ts';

const etag = { ETag: header('ETag', { required: true, description: 'The case\'s `version`, quoted: send it back as `If-Match` with a decision' }) };

/** One case and the decisions on its approval line (docs/server.md, "Electronic approval"). */
export const casePaths: Paths = {
  [`${API}/cases/{id}`]: {
    get: operation({
      operationId: 'getCase',
      summary: 'A case: the application, its approval line and history',
      tag: 'approval',
      access: 'user',
      parameters: [pathParam('id', 'The application id')],
      responses: { 200: json('The case (`Cache-Control: no-store`)', ref('Case'), etag) },
      problems: {
        403: 'A citizen (`not-allowed`).',
        404: 'No such case, or one the official may not see (`case-not-found`).',
      },
    }),
  },
  [`${API}/cases/{id}/decisions`]: {
    post: operation({
      operationId: 'decideStep',
      summary: 'Decide a step, with a passkey signature of the decision',
      description: 'The final `approve` issues the document in the same transaction.',
      tag: 'approval',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The application id'), { ...PARAMETERS['If-Match']!, required: true, description: 'The version (ETag) of the case decided on, e.g. `"3"`: none is a `428`, a stale one a `412`' }],
      requestBody: jsonBody(ref('DecisionRequest')),
      responses: { 200: json('The case after the decision', ref('Case'), etag) },
      problems: {
        400: '`step` unknown; `decision` not one of the five or `not-for-step`; `comment` required for return and reject; `signatureId` `unknown`, `used`, `wrong-subject` or `digest-mismatch`; a malformed `If-Match` (`validation`).',
        403: 'A citizen, a case the official may not decide on (or that does not exist), a step that is not theirs, their own application (`not-allowed`).',
        409: 'The step was decided (`step-decided`), is not open yet (`step-not-open`), the case is over (`case-closed`), another decision committed at the same moment (`conflict`), or the official already decided another step of this round and another official must decide this one (`four-eyes`, unless the form\'s `approvalRules.allowSamePersonSteps` or the step\'s `allowSamePerson`).',
        412: '`If-Match` is not the current version (`version-mismatch`): reload; the signature is still good.',
        428: 'No `If-Match` (`precondition-required`).',
        503: 'Issuance on approval failed and the approval was rolled back: no seal key (`seal-unavailable`) or the time-stamping authority did not answer (`timestamp-unavailable`, `Retry-After: 30`).',
      },
      problemHeaders: { 503: { 'Retry-After': header('Retry-After') } },
    }),
  },
  [`${API}/cases/{id}/fee-paid`]: {
    post: operation({
      operationId: 'markFeePaid',
      summary: 'Mark the application\'s fee paid',
      description: 'An official of the handling agency marks the fee paid, optionally with the bank statement reference. Audited (`application.fee-paid`), announced by the `application.fee-paid` webhook and, as their notification settings allow, a mail to the applicant (queued in the same transaction); a form with `fee.requiredBeforeApproval` starts its approval line now.',
      tag: 'approval',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The application id')],
      requestBody: jsonBody(ref('FeePaidRequest'), 'Optional', false),
      responses: { 200: json('The case with its fee marked paid', ref('Case'), etag) },
      problems: {
        400: '`statementReference` not a string or too long; an unknown field (`validation`).',
        403: 'A citizen, an administrator, an official of another agency, the official\'s own application (`not-allowed`).',
        404: 'No such case, or one the official may not see (`case-not-found`).',
        409: 'The form states no fee (`no-fee`), the fee is marked paid already (`fee-already-paid`), the case changed at the same moment (`conflict`).',
      },
    }),
  },
  [`${API}/cases/{id}/fee-unpaid`]: {
    post: operation({
      operationId: 'undoFeePaid',
      summary: 'Undo a mistaken "fee paid" mark',
      description: 'Audited (`application.fee-unpaid`, with the reason). With `fee.requiredBeforeApproval`, the open steps of the line wait again until the fee is marked paid; decided steps stay decided.',
      tag: 'approval',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The application id')],
      requestBody: jsonBody(ref('FeeUnpaidRequest'), 'Optional', false),
      responses: { 200: json('The case with its fee awaiting payment', ref('Case'), etag) },
      problems: {
        400: '`reason` not a string or too long; an unknown field (`validation`).',
        403: 'A citizen, an administrator, an official of another agency, the official\'s own application (`not-allowed`).',
        404: 'No such case, or one the official may not see (`case-not-found`).',
        409: 'The form states no fee (`no-fee`), the fee is not marked paid (`fee-not-paid`), the case changed at the same moment (`conflict`).',
      },
    }),
  },
};
