import { API, header, json, jsonBody, operation, parameterRef, pathParam, queryParam, ref, type Paths } from '../common.ts';

const etag = { ETag: header('ETag', { required: true, description: 'The application\'s `version`, quoted: send it back as `If-Match`' }) };

/** Civil applications (docs/server.md, "Forms and applications"). */
export const applicationPaths: Paths = {
  [`${API}/applications`]: {
    post: operation({
      operationId: 'createApplication',
      summary: 'Create a draft',
      description: 'Drafts may be incomplete (no `required` checks) but never wrong. An `internal` form is for officials of its agency.',
      tag: 'applications',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      requestBody: jsonBody(ref('NewApplication')),
      responses: {
        201: json('The draft', ref('Application'), { Location: header('Location', { required: true }), ...etag }),
      },
      problems: {
        400: 'A bad body, an unknown form or version, answers that break the form\'s rules, attachments that are not the applicant\'s uploads (`validation`, naming `data.<field>` — for an item of a repeating group `data.<group>[<index>].<field>` —, `formId`, …).',
        403: 'An `internal` form, by anyone but an official of its agency (`not-allowed`).',
        409: 'Not the form\'s latest version: it changed since it was loaded (`form-version-superseded`, naming `formVersion`).',
        410: 'The form is retired: it takes no new applications (`form-retired`).',
      },
    }),
    get: operation({
      operationId: 'listMyApplications',
      summary: 'My applications, newest first',
      tag: 'applications',
      access: 'user',
      parameters: [
        queryParam('limit', '1–100, default 20', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
        queryParam('cursor', '`nextCursor` of the page before (opaque)', { type: 'string', minLength: 1, maxLength: 200 }),
      ],
      responses: { 200: json('A page (`Cache-Control: no-store`)', ref('ApplicationPage')) },
      problems: { 400: 'A bad `limit` or `cursor`, or one given twice (`validation`).' },
    }),
  },
  [`${API}/applications/{id}`]: {
    get: operation({
      operationId: 'getApplication',
      summary: 'One application with its history',
      description: 'For its owner, and officials and admins of the handling agency.',
      tag: 'applications',
      access: 'user',
      parameters: [pathParam('id', 'The application id')],
      responses: { 200: json('The application (`Cache-Control: no-store`)', ref('ApplicationWithHistory'), etag) },
      problems: { 404: 'No such application, or one the user may not see (`application-not-found`).' },
    }),
    put: operation({
      operationId: 'updateApplication',
      summary: 'Replace a draft\'s (or a returned application\'s) answers',
      tag: 'applications',
      access: 'user',
      jsonParser: true,
      parameters: [pathParam('id', 'The application id'), parameterRef('If-Match')],
      requestBody: jsonBody(ref('ApplicationChange')),
      responses: { 200: json('The draft', ref('Application'), etag) },
      problems: {
        400: 'A bad body or answers (`validation`); a malformed `If-Match`.',
        404: 'No such application of mine (`application-not-found`).',
        409: 'No longer a draft or returned (`not-editable`); changed at the same moment (`conflict`).',
        412: '`If-Match` is not the current version (`version-mismatch`).',
      },
    }),
  },
  [`${API}/applications/{id}/submit`]: {
    post: operation({
      operationId: 'submitApplication',
      summary: 'Submit (or resubmit) an application',
      description: 'Validates everything again; the signature, when given (required when the form says so), must be the submitter\'s own, for `submit` of exactly this content, unused. Starts the approval line.',
      tag: 'applications',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The application id'), parameterRef('If-Match')],
      requestBody: jsonBody(ref('Submission'), undefined, false),
      responses: { 200: json('The submitted application', ref('Application'), etag) },
      problems: {
        400: 'Answers incomplete or wrong (`validation`); `signatureId` required, `unknown`, `wrong-subject`, `digest-mismatch` or `used`; a malformed `If-Match`.',
        404: 'No such application of mine (`application-not-found`).',
        409: 'Not a draft or returned (`not-editable`); changed at the same moment (`conflict`).',
        412: '`If-Match` is not the current version (`version-mismatch`).',
      },
    }),
  },
};
