import { API, parameterRef, empty, header, json, jsonBody, operation, pathParam, ref, type Paths } from '../common.ts';

/** Issued documents (docs/server.md, "Issued documents"). */
export const documentPaths: Paths = {
  [`${API}/documents/{id}`]: {
    get: operation({
      operationId: 'getDocument',
      summary: 'An issued document',
      description: 'For its owner, the officials and admins of the issuing agency and of agencies it was distributed to.',
      tag: 'documents',
      access: 'user',
      parameters: [pathParam('id', 'The document id')],
      responses: { 200: json('The document with its recipients and history (`Cache-Control: no-store`)', ref('DocumentDetails')) },
      problems: { 404: 'No such document, or one the user may not see (`document-not-found`).' },
    }),
  },
  [`${API}/documents/{id}/pdf`]: {
    get: operation({
      operationId: 'getDocumentPdf',
      summary: 'The sealed PDF',
      description: '`Content-Disposition: attachment; filename="<tracking number>.pdf"`, `X-Content-Type-Options: nosniff`, `Cache-Control: private, no-cache`.',
      tag: 'documents',
      access: 'user',
      parameters: [pathParam('id', 'The document id'), parameterRef('If-None-Match')],
      responses: {
        200: {
          description: 'The PDF',
          headers: {
            ETag: header('ETag', { required: true, description: 'The PDF\'s hex SHA-256, quoted' }),
            'Content-Disposition': header('Content-Disposition', { required: true }),
          },
          content: { 'application/pdf': {} },
        },
        304: empty('`If-None-Match` matched', { ETag: header('ETag') }),
      },
      problems: { 404: 'No such document, or one the user may not see (`document-not-found`).' },
    }),
  },
  [`${API}/documents/{id}/distribute`]: {
    post: operation({
      operationId: 'distributeDocument',
      summary: 'Send an issued document to other agencies',
      description: 'Officials and admins of the issuing agency. Each agency gets a pending reception in its `GET reception`; its officials may then read the document and acknowledge receipt. Documents are also sent on issuance to the agencies their form names (`distribution`).',
      tag: 'documents',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The document id')],
      requestBody: jsonBody(ref('DistributeRequest')),
      responses: { 200: json('The document with its recipients and history', ref('DocumentDetails')) },
      problems: {
        400: '`agencyIds` missing, empty or over 50; `agencyIds[i]` `unknown`, `own-agency` or `already-sent` (`validation`).',
        403: 'The user sees the document but is not an official of the issuing agency (`not-allowed`).',
        404: 'No such document, or one the user may not see (`document-not-found`).',
        409: 'The document is revoked (`document-revoked`).',
      },
    }),
  },
  [`${API}/documents/{id}/revoke`]: {
    post: operation({
      operationId: 'revokeDocument',
      summary: 'Revoke a document, or mark it superseded by another',
      description: 'Admins of the issuing agency and the officials who may approve its form.',
      tag: 'documents',
      access: 'user',
      jsonParser: true,
      idempotent: true,
      parameters: [pathParam('id', 'The document id')],
      requestBody: jsonBody(ref('Revocation')),
      responses: { 200: json('The document, now `revoked` or `superseded`', ref('Document')) },
      problems: {
        400: '`reason` missing or too long; `supersededBy` unknown, of another agency, itself or revoked (`validation`).',
        403: 'The user sees the document but may not revoke it (`not-allowed`).',
        404: 'No such document, or one the user may not see (`document-not-found`).',
        409: 'Already revoked (`already-revoked`).',
      },
    }),
  },
};
