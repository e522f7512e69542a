import { API, json, jsonBody, operation, pathParam, ref, type Paths } from '../common.ts';

/** Agency-to-agency exchange between Overa servers (docs/exchange.md). */
export const exchangePaths: Paths = {
  [`${API}/exchange/messages`]: {
    post: operation({
      operationId: 'receiveExchangeMessage',
      summary: 'A partner server delivers a signed message (document, acceptance, rejection, revocation)',
      description: 'Server to server (docs/exchange.md). No session: the credential is the detached CMS signature of the sending agency\'s seal over the envelope\'s RFC 8785 canonical JSON, checked against the certificate pinned in the partners directory (`overa partners add`). Each part\'s bytes (base64 in the JSON encoding, as they are in the multipart one) must have the SHA-256 and size the envelope gives. A message id already taken is answered with the receipt given the first time, and nothing is stored again. The answer is the receipt, signed by the receiving agency\'s seal. The body may be up to `exchangeMaxBytes` (OVERA_EXCHANGE_MAX_BYTES, default 32 MiB) rather than `jsonLimit`.',
      tag: 'exchange',
      access: 'public',
      jsonParser: true,
      requestBody: {
        required: true,
        description: 'Either encoding; senders use multipart and fall back to JSON where a partner answers 415 (docs/exchange.md).',
        content: {
          ...jsonBody(ref('ExchangeRequest')).content,
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['envelope', 'signature'],
              properties: {
                envelope: { type: 'string', contentMediaType: 'application/json', description: 'The envelope\'s JSON (ExchangeEnvelope)' },
                signature: { type: 'string', description: 'Base64 DER of the detached CMS SignedData over the envelope\'s canonical JSON' },
                part: { type: 'array', maxItems: 20, items: { type: 'string', contentMediaType: 'application/octet-stream' }, description: 'One file part per part the envelope names, its file name the part\'s name (`filename*` for names that are not plain ASCII), its bytes as they are' },
              },
            },
          },
        },
      },
      responses: { 200: json('The receipt (`Cache-Control: no-store`): proof of delivery for the sender to keep', ref('ExchangeResponse')) },
      problems: {
        400: 'The body is not `{envelope, signature, parts}`, the envelope is not one (`validation`, on `envelope.<field>`), or a part the envelope names is missing (`validation`, on `parts[i]`); in multipart, a field other than `envelope`, `signature` and `part`, or one sent twice (`validation`, naming it), or a broken body (`malformed-multipart`).',
        403: 'The sending agency is not a partner (`unknown-sender`), or the signature is not its pinned seal\'s (`bad-signature`; e.g. another agency\'s seal, or a changed envelope).',
        404: 'The receiving agency is not hosted on this server (`unknown-agency`).',
        409: 'The message id was used before for another envelope (`message-id-reused`), or the document is already in that agency\'s reception (`already-received`).',
        422: 'A part\'s bytes do not have the envelope\'s hash (`part-mismatch`, on `parts[i]`), or the message answered / the document revoked was never exchanged with this agency (`unknown-message`, `unknown-document`).',
        503: 'The receiving agency\'s seal cannot sign the receipt (`seal-unavailable`).',
      },
    }),
  },
  [`${API}/documents/{id}/exchange/{messageId}/retry`]: {
    post: operation({
      operationId: 'retryExchangeMessage',
      summary: 'Send a failed exchange message again',
      description: 'The same signed message, with the same id (the partner de-duplicates by it); its attempts are counted afresh. The recipient\'s `partner.messageId` in `GET documents/:id` names it.',
      tag: 'exchange',
      access: 'user',
      parameters: [pathParam('id', 'The document id'), pathParam('messageId', 'The message id')],
      responses: { 200: json('Queued again', ref('ExchangeRetry')) },
      problems: {
        403: 'Not an official of the sending agency (`not-allowed`).',
        404: 'No such message of this document (`message-not-found`).',
        409: 'The message has not failed (`not-failed`).',
      },
    }),
  },
  [`${API}/agencies`]: {
    get: operation({
      operationId: 'listAgencies',
      summary: 'The agencies a document can be sent to: this server\'s and partners on other servers',
      description: 'For the official\'s "send to" picker and for form authors (`distribution.agencies`). The reader\'s own agency is left out. `Cache-Control: no-store`.',
      tag: 'exchange',
      access: 'user',
      responses: { 200: json('The agencies', ref('AgencyDirectory')) },
      problems: { 403: 'A citizen (`not-allowed`).' },
    }),
  },
};
