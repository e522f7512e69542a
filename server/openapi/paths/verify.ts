import { API, header, json, operation, pathParam, ref, type Paths } from '../common.ts';

/** Public verification (docs/server.md, "Verifying a PDF"). */
export const verifyPaths: Paths = {
  [`${API}/verify`]: {
    post: operation({
      operationId: 'verifyPdf',
      summary: 'Verify a PDF: every signature in it and the passkey evidence it carries',
      description: 'The body is the PDF itself, at most `uploadMaxBytes`, spooled to disk as it arrives. A damaged or foreign file is still a `200`: the report says what is wrong with it. The work is bounded: at most `verifyConcurrency` verifications run at once on an instance (`verifyQueue` more wait up to `verifyQueueWaitMs`), and a file whose signatures would hash more than `verifyHashFactor` × its size + `verifyHashExtraBytes` or need more than `verifyMaxSignatureChecks` signature checks is refused. `Cache-Control: no-store`.',
      tag: 'verification',
      access: 'public',
      rateLimited: 'verify',
      requestBody: { required: true, content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } } },
      responses: { 200: json('The verification report', ref('VerificationReport')) },
      problems: {
        400: 'No body or an empty one (`validation`); the client hung up (`request-aborted`).',
        408: 'The body stopped arriving for `bodyIdleTimeoutMs` (`request-timeout`); the connection is closed.',
        413: 'Over `uploadMaxBytes` (`body-too-large`).',
        415: 'Not `application/pdf` (`unsupported-media-type`).',
        422: 'The file asks for more work than its budget (`verification-budget-exceeded`): its signatures would hash more than `verifyHashFactor` × its size + `verifyHashExtraBytes`, or need more than `verifyMaxSignatureChecks` signature checks. Not verified; `detail` says how much it asked for.',
        503: 'Every verification turn of this instance is taken and the queue is full, or none came within `verifyQueueWaitMs` (`server-busy`); retry after `Retry-After` seconds.',
      },
      problemHeaders: { 503: { 'Retry-After': header('Retry-After', { required: true }) } },
    }),
  },
  [`${API}/verify/{code}`]: {
    get: operation({
      operationId: 'getDocumentStatus',
      summary: 'A document\'s status by its verification code (what its QR code leads to)',
      description: 'Typed codes are normalised (case, spaces, dashes, and Cyrillic letters typed on a Serbian keyboard as the Latin letter of their key). `Cache-Control: no-store`.',
      tag: 'verification',
      access: 'public',
      rateLimited: 'verify',
      parameters: [pathParam('code', 'The verification code, e.g. `K7QX-3MAC-…`')],
      responses: { 200: json('The public status', ref('PublicDocumentStatus')) },
      problems: {
        400: 'Not a verification code (`validation` on `code`).',
        404: 'No document has this code (`document-not-found`).',
      },
    }),
  },
  [`${API}/verify/{code}/pdf`]: {
    get: operation({
      operationId: 'getDocumentPdfByCode',
      summary: 'The genuine sealed PDF of a valid document, by its verification code',
      description: 'What a code check shows and offers for download, to compare with the paper or file in hand: the bytes issued (their SHA-256 is the status\'s `sha256`). Typed codes are normalised as for `GET verify/{code}`, and the two share one rate-limit budget. `Content-Disposition: attachment; filename="<code>.pdf"`, `Cache-Control: no-store`.',
      tag: 'verification',
      access: 'public',
      rateLimited: 'verify',
      parameters: [pathParam('code', 'The verification code, e.g. `K7QX-3MAC-…`')],
      responses: {
        200: {
          description: 'The PDF',
          headers: { 'Content-Disposition': header('Content-Disposition', { required: true }) },
          content: { 'application/pdf': {} },
        },
      },
      problems: {
        400: 'Not a verification code (`validation` on `code`).',
        404: 'No document has this code (`document-not-found`).',
        410: 'The document was revoked (`document-revoked`) or replaced (`document-superseded`); `GET verify/{code}` says when and why.',
      },
    }),
  },
};
