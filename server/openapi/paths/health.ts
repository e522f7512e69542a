import { json, operation, ref, type Paths } from '../common.ts';

export const healthPaths: Paths = {
  '/healthz': {
    get: operation({
      operationId: 'getHealth',
      summary: 'Liveness and readiness',
      description: 'Outside `/api/v1` and in front of its middleware: no authentication. `Cache-Control: no-store`.',
      tag: 'health',
      access: 'none',
      responses: {
        200: json('The database answers', ref('Health')),
        503: json('The database does not answer', ref('Health')),
      },
    }),
  },
};
