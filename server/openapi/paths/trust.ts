import { API, operation, queryParam, ref, type Paths } from '../common.ts';

/** The trust anchors of the agencies' seals (docs/server.md, "Seal keys and certificates"). */
export const trustPaths: Paths = {
  [`${API}/trust`]: {
    get: operation({
      operationId: 'getTrustAnchors',
      summary: 'The trust anchors of the agencies\' seals',
      description:
        'The demo root (when there is one) and the root of each agency\'s chain; and the trusted lists (ETSI TS 119 612) the server keeps, each with its status — ' +
        'with `?include=services` also the current lists as verified, for the browser verifier (docs/verification.md, "Trusted lists"). `Cache-Control: public, max-age=300`.',
      tag: 'verification',
      access: 'public',
      parameters: [
        queryParam('format', '`pem`: one PEM file, ready for a validator\'s trust store; anything else (or none): JSON', { type: 'string', examples: ['pem'] }),
        queryParam('include', '`services`: add `verifiedLists`, the current trusted lists with their providers, services, certificates and status histories', { type: 'string', examples: ['services'] }),
      ],
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
