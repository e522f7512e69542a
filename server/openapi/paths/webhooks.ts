import { API, empty, header, json, jsonBody, operation, pathParam, ref, type Paths } from '../common.ts';

const ADMIN_ONLY = 'Not an agency administrator (`not-allowed`).';
const NO_ENDPOINT = 'No such endpoint of this agency (`webhook-not-found`).';
const NOT_CONFIGURED = 'The server has no `OVERA_WEBHOOK_SECRET_KEY` (`webhooks-not-configured`).';

/** Webhooks for the agency's systems, for administrators (docs/server.md, "Webhooks"). */
export const webhookPaths: Paths = {
  [`${API}/admin/webhooks`]: {
    get: operation({
      operationId: 'listWebhooks',
      summary: 'The agency\'s webhook endpoints',
      tag: 'admin',
      access: 'user',
      responses: { 200: json('The endpoints (`Cache-Control: no-store`)', ref('WebhookEndpointList')) },
      problems: { 403: ADMIN_ONLY },
    }),
    post: operation({
      operationId: 'addWebhook',
      summary: 'Subscribe an endpoint to the agency\'s events; the answer holds its secret, shown this once',
      tag: 'admin',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody(ref('WebhookRequest')),
      responses: { 201: json('The endpoint and its secret (`Cache-Control: no-store`)', ref('WebhookEndpointWithSecret'), { Location: header('Location', { required: true }) }) },
      problems: {
        400: '`url` not an http(s) URL (`invalid`), `events` empty (`required`) or naming an unknown event (`unknown`), an unknown field (`validation`).',
        403: ADMIN_ONLY,
        503: NOT_CONFIGURED,
      },
    }),
  },
  [`${API}/admin/webhooks/{id}`]: {
    delete: operation({
      operationId: 'removeWebhook',
      summary: 'Unsubscribe an endpoint (what is still queued for it ends `failed`)',
      tag: 'admin',
      access: 'user',
      parameters: [pathParam('id', 'The endpoint id')],
      responses: { 204: empty('Removed') },
      problems: { 403: ADMIN_ONLY, 404: NO_ENDPOINT },
    }),
  },
  [`${API}/admin/webhooks/{id}/rotate`]: {
    post: operation({
      operationId: 'rotateWebhookSecret',
      summary: 'A new secret; the previous one signs beside it for 24 hours',
      tag: 'admin',
      access: 'user',
      parameters: [pathParam('id', 'The endpoint id')],
      responses: { 200: json('The endpoint and its new secret (`Cache-Control: no-store`)', ref('WebhookEndpointWithSecret')) },
      problems: { 403: ADMIN_ONLY, 404: NO_ENDPOINT, 503: NOT_CONFIGURED },
    }),
  },
  [`${API}/admin/webhooks/{id}/test`]: {
    post: operation({
      operationId: 'testWebhook',
      summary: 'Queue a `webhook.test` delivery to the endpoint',
      tag: 'admin',
      access: 'user',
      parameters: [pathParam('id', 'The endpoint id')],
      responses: { 202: json('Queued; follow it in the delivery log', ref('WebhookTestQueued')) },
      problems: { 403: ADMIN_ONLY, 404: NO_ENDPOINT },
    }),
  },
  [`${API}/admin/webhooks/{id}/deliveries`]: {
    get: operation({
      operationId: 'listWebhookDeliveries',
      summary: 'The endpoint\'s delivery log, newest first (the last 100)',
      tag: 'admin',
      access: 'user',
      parameters: [pathParam('id', 'The endpoint id')],
      responses: { 200: json('The deliveries (`Cache-Control: no-store`)', ref('WebhookDeliveryList')) },
      problems: { 403: ADMIN_ONLY, 404: NO_ENDPOINT },
    }),
  },
  [`${API}/admin/webhooks/deliveries/{id}/retry`]: {
    post: operation({
      operationId: 'retryWebhookDelivery',
      summary: 'Send a failed (or delivered) delivery again, with the same `webhook-id`',
      tag: 'admin',
      access: 'user',
      parameters: [pathParam('id', 'The delivery id')],
      responses: { 202: json('Queued again, attempts counted afresh', ref('WebhookDelivery')) },
      problems: {
        403: ADMIN_ONLY,
        404: 'No such delivery to an endpoint of this agency (`delivery-not-found`).',
        409: 'It is queued or being delivered already (`delivery-pending`).',
      },
    }),
  },
};
