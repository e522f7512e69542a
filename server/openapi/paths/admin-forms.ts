import { API, empty, header, json, jsonBody, operation, pathParam, ref, type Paths } from '../common.ts';

const ADMIN_ONLY = 'Not an administrator (`not-allowed`), or the form is another agency\'s (`not-allowed`).';
const NO_FORM = 'No such form (`form-not-found`).';
const FORM_ID = pathParam('id', 'The form id');
const VERSION = pathParam('version', 'A published version', { type: 'string', pattern: '^[1-9][0-9]{0,6}$' });

/** Forms in the database, for an agency's administrators (docs/forms.md, "Forms in the database"). */
export const adminFormPaths: Paths = {
  [`${API}/admin/forms`]: {
    get: operation({
      operationId: 'listAgencyForms',
      summary: 'The forms of the administrator\'s agency: published, drafts, retired',
      tag: 'admin',
      access: 'user',
      responses: { 200: json('The forms, by id (`Cache-Control: no-store`)', ref('AdminFormList')) },
      problems: { 403: 'Not an agency administrator (`not-allowed`).' },
    }),
  },
  [`${API}/admin/forms/check`]: {
    post: operation({
      operationId: 'checkFormDefinition',
      summary: 'The problems of a definition (its JSON Schema, then checkDefinition), without saving it',
      tag: 'admin',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody({ description: 'A form definition (anything: its problems are the answer)' }),
      responses: { 200: json('The problems, each at a JSON pointer; none for a good definition', ref('FormDefinitionCheck')) },
      problems: { 403: 'Not an agency administrator (`not-allowed`).' },
    }),
  },
  [`${API}/admin/forms/{id}`]: {
    get: operation({
      operationId: 'getAgencyForm',
      summary: 'A form: its state, its draft and its published versions',
      tag: 'admin',
      access: 'user',
      parameters: [FORM_ID],
      responses: { 200: json('The form (`Cache-Control: no-store`)', ref('AdminForm')) },
      problems: { 403: ADMIN_ONLY, 404: NO_FORM },
    }),
  },
  [`${API}/admin/forms/{id}/draft`]: {
    put: operation({
      operationId: 'saveFormDraft',
      summary: 'Save the draft of a form (a new form when the id is new)',
      description: 'The body is a form definition: its `id` must be the path\'s and its `agencyId` the administrator\'s agency; its `version` is ignored (the draft gets the number it will be published as). It must pass the format\'s JSON Schema and checkDefinition.',
      tag: 'admin',
      access: 'user',
      jsonParser: true,
      parameters: [FORM_ID],
      requestBody: jsonBody(ref('FormDefinition')),
      responses: { 200: json('The saved draft', ref('FormDraft')) },
      problems: {
        403: ADMIN_ONLY,
        409: 'The body\'s `id` is not the path\'s (`form-id-mismatch`) or its `agencyId` not the administrator\'s (`form-agency-mismatch`).',
        422: 'The definition has problems (`invalid-form-definition`): one entry of `errors` per problem, `field` its JSON pointer.',
      },
    }),
    delete: operation({
      operationId: 'deleteFormDraft',
      summary: 'Throw the draft away (a form never published goes with it)',
      tag: 'admin',
      access: 'user',
      parameters: [FORM_ID],
      responses: { 204: empty('Gone') },
      problems: { 403: ADMIN_ONLY, 404: NO_FORM },
    }),
  },
  [`${API}/admin/forms/{id}/publish`]: {
    post: operation({
      operationId: 'publishForm',
      summary: 'Publish the draft as the next version (never changed afterwards); audited as `form.published`',
      description: 'New applications start on it at once on this server instance, within a second on the others. Publishing a retired form brings it back.',
      tag: 'admin',
      access: 'user',
      jsonParser: true,
      parameters: [FORM_ID],
      requestBody: jsonBody({ type: 'object' }, '`{}` (nothing is read from it)', false),
      responses: { 201: json('The new version', ref('FormPublished'), { Location: header('Location', { required: true }) }) },
      problems: {
        403: ADMIN_ONLY,
        404: NO_FORM,
        409: 'There is no draft (`no-draft`).',
        422: 'The draft no longer passes the checks of this server (`invalid-form-definition`).',
      },
    }),
  },
  [`${API}/admin/forms/{id}/retire`]: {
    post: operation({
      operationId: 'retireForm',
      summary: 'Retire a form: not offered, no new applications (those started continue); audited as `form.retired`',
      tag: 'admin',
      access: 'user',
      jsonParser: true,
      parameters: [FORM_ID],
      requestBody: jsonBody({ type: 'object' }, '`{}` (nothing is read from it)', false),
      responses: { 204: empty('Retired (also when it already was)') },
      problems: { 403: ADMIN_ONLY, 404: NO_FORM, 409: 'The form has no published version (`not-published`).' },
    }),
  },
  [`${API}/admin/forms/{id}/versions/{version}`]: {
    get: operation({
      operationId: 'getFormVersion',
      summary: 'A published version, as stored (canonical JSON)',
      tag: 'admin',
      access: 'user',
      parameters: [FORM_ID, VERSION],
      responses: { 200: json('The definition (`Cache-Control: private, max-age=86400, immutable`)', ref('FormDefinition')) },
      problems: { 400: '`version` is not a positive integer (`validation`).', 403: ADMIN_ONLY, 404: `${NO_FORM} No such version (\`form-version-not-found\`).` },
    }),
  },
  [`${API}/admin/forms/{id}/versions/{version}/diff`]: {
    get: operation({
      operationId: 'diffFormVersion',
      summary: 'What a version changed against the one before it, as JSON-pointer changes',
      tag: 'admin',
      access: 'user',
      parameters: [FORM_ID, VERSION],
      responses: { 200: json('The changes (`Cache-Control: private, max-age=86400, immutable`)', ref('FormDiff')) },
      problems: { 400: '`version` is not a positive integer (`validation`).', 403: ADMIN_ONLY, 404: `${NO_FORM} No such version (\`form-version-not-found\`).` },
    }),
  },
};
