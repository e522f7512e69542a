import { API, json, jsonBody, operation, pathParam, queryParam, ref, type Paths } from '../common.ts';

/** A receiving agency's inbox of documents other agencies sent it (docs/server.md, "Distribution"). */
export const receptionPaths: Paths = {
  [`${API}/reception`]: {
    get: operation({
      operationId: 'listReception',
      summary: 'Documents sent to my agency, newest first',
      tag: 'documents',
      access: 'user',
      parameters: [
        queryParam('limit', '1–100, default 20', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
        queryParam('cursor', '`nextCursor` of the page before (opaque)', { type: 'string', minLength: 1, maxLength: 200 }),
        queryParam('status', 'Only `pending`, only `accepted` or only `rejected` receptions (only a partner\'s document is rejected)', { enum: ['pending', 'accepted', 'rejected'] }),
      ],
      responses: { 200: json('A page (`Cache-Control: no-store`)', ref('ReceptionPage')) },
      problems: {
        400: 'A bad `limit`, `status` or `cursor`, or one given twice or empty (`validation`).',
        403: 'A citizen (`not-allowed`).',
      },
    }),
  },
  [`${API}/reception/{id}/accept`]: {
    post: operation({
      operationId: 'acceptReception',
      summary: 'Acknowledge receipt, with a passkey signature',
      description: 'Sign first: `POST signatures/options` with `{subject: {type: "reception", id}, action: "accept"}`; the digest covers the document\'s id, its PDF\'s SHA-256 and the receiving agency.',
      tag: 'documents',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The reception id')],
      requestBody: jsonBody(ref('AcceptReceptionRequest')),
      responses: { 200: json('The reception, now `accepted`', ref('ReceptionItem')) },
      problems: {
        400: '`signatureId` missing, or a signature that is not the user\'s, not for this reception, over another PDF or already used (`validation`).',
        403: 'A citizen (`not-allowed`).',
        404: 'No such reception, or one sent to another agency (`reception-not-found`).',
        409: 'Receipt was already acknowledged (`already-accepted`).',
      },
    }),
  },
  [`${API}/reception/{id}/reject`]: {
    post: operation({
      operationId: 'rejectReception',
      summary: 'Refuse a partner agency\'s document, with a reason and a passkey signature',
      description: 'Only for a document a partner agency sent from another server (docs/exchange.md). Sign first: `POST signatures/options` with `{subject: {type: "reception", id}, action: "reject", context: {reason}}`; the digest covers the document\'s id, its PDF\'s SHA-256, the receiving agency, the action and the reason. The rejection is sent back to the partner as a signed message.',
      tag: 'documents',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The reception id')],
      requestBody: jsonBody(ref('RejectReceptionRequest')),
      responses: { 200: json('The reception, now `rejected`', ref('ReceptionItem')) },
      problems: {
        400: '`signatureId` or `reason` missing, or a signature that is not the user\'s, not for this reception, over another reason or already used (`validation`).',
        403: 'A citizen (`not-allowed`).',
        404: 'No such partner reception, or one sent to another agency (`reception-not-found`).',
        409: 'Already accepted or rejected (`already-accepted`).',
      },
    }),
  },
  [`${API}/reception/{id}/pdf`]: {
    get: operation({
      operationId: 'getReceivedPdf',
      summary: 'The PDF of a document a partner agency sent from another server',
      description: 'Byte for byte what the partner sent (its SHA-256 is in the signed envelope and in `partner.sha256`). A local agency\'s document is `GET documents/:id/pdf`.',
      tag: 'documents',
      access: 'user',
      parameters: [pathParam('id', 'The reception id')],
      responses: {
        200: { description: 'The PDF, as an attachment (`ETag`: its SHA-256)', content: { 'application/pdf': {} } },
      },
      problems: { 404: 'No such partner reception, or one of another agency (`reception-not-found`).' },
    }),
  },
};
