import { API, parameterRef, empty, header, operation, type Paths } from '../common.ts';

/** This document. */
export const openApiPaths: Paths = {
  [`${API}/openapi.json`]: {
    get: operation({
      operationId: 'getOpenApi',
      summary: 'This OpenAPI 3.1 document',
      description: '`Cache-Control: public, max-age=300`.',
      tag: 'meta',
      access: 'public',
      parameters: [parameterRef('If-None-Match')],
      responses: {
        200: {
          description: 'The document',
          headers: { ETag: header('ETag', { required: true }) },
          content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'], properties: { openapi: { type: 'string', pattern: '^3\\.1\\.' }, info: { type: 'object' }, paths: { type: 'object' } } } } },
        },
        304: empty('`If-None-Match` matched', { ETag: header('ETag') }),
      },
    }),
  },
};
