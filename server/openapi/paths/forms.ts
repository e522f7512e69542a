import { API, json, operation, pathParam, queryParam, ref, type Paths } from '../common.ts';

/** Form definitions (docs/forms.md). */
export const formPaths: Paths = {
  [`${API}/forms`]: {
    get: operation({
      operationId: 'listForms',
      summary: 'The forms one can apply with (latest versions)',
      description: 'Public forms for everyone; for officials also their agency\'s `internal` forms. `Cache-Control: public, max-age=60` (`private` when signed in), `Vary: Authorization`.',
      tag: 'forms',
      access: 'optional',
      responses: {
        200: json('The forms', { type: 'object', required: ['forms'], properties: { forms: { type: 'array', items: ref('FormSummary') } } }),
      },
    }),
  },
  [`${API}/forms/{id}`]: {
    get: operation({
      operationId: 'getForm',
      summary: 'One form definition',
      tag: 'forms',
      access: 'optional',
      parameters: [
        pathParam('id', 'The form id'),
        queryParam('version', 'A version; the latest by default', { type: 'integer', minimum: 1 }),
      ],
      responses: { 200: json('The definition, in the format of docs/forms.md', ref('FormDefinition')) },
      problems: {
        400: '`version` is not a positive integer (`validation`).',
        404: 'No such form or version, or an `internal` form to anyone but officials of its agency (`form-not-found`).',
      },
    }),
  },
};
