import { API, operation, queryParam, ref, type Paths } from '../common.ts';

/** The trust anchors of the agencies' seals (docs/server.md, "Seal keys and certificates"). */
export const trustPaths: Paths = {
  [`${API}/trust`]: {
    get: operation({
      operationId: 'getTrustAnchors',
      summary: 'The trust anchors of the agencies\' seals',
      description: 'The demo root (when there is one) and the root of each agency\'s chain. `Cache-Control: public, max-age=300`.',
      tag: 'verification',
      access: 'public',
      parameters: [queryParam('format', '`pem`: one PEM file, ready for a validator\'s trust store; anything else (or none): JSON', { type: 'string', examples: ['pem'] })],
      responses: {
        200: {
          description: 'The anchors: JSON, or PEM with `?format=pem` (as an attachment, `overa-trust-anchors.pem`)',
          content: {
            'application/json': { schema: ref('TrustAnchors') },
            'application/x-pem-file': { schema: { type: 'string' } },
          },
        },
      },
    }),
  },
};
