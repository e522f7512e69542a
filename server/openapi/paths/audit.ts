import { API, json, operation, queryParam, ref, type Paths } from '../common.ts';

/** The audit log over HTTP, for administrators (docs/security.md, "Audit over HTTP"). */
export const auditPaths: Paths = {
  [`${API}/audit`]: {
    get: operation({
      operationId: 'listAudit',
      summary: 'The agency\'s audit entries, newest first',
      tag: 'audit',
      access: 'user',
      parameters: [
        queryParam('limit', '1–200, default 50', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
        queryParam('cursor', '`nextCursor` of the page before (opaque)', { type: 'string', minLength: 1, maxLength: 64 }),
        queryParam('subjectType', 'e.g. `application`', { type: 'string', minLength: 1, maxLength: 32 }),
        queryParam('subjectId', 'Needs `subjectType`', { type: 'string', minLength: 1, maxLength: 128 }),
        queryParam('actor', 'A user id', { type: 'string', minLength: 1, maxLength: 36 }),
      ],
      responses: { 200: json('A page (`Cache-Control: no-store`)', ref('AuditPage')) },
      problems: {
        400: 'A parameter given twice, empty or too long, a bad `limit` or `cursor`, `subjectId` without `subjectType` (`validation`).',
        403: 'Not an agency administrator (`not-allowed`).',
      },
    }),
  },
  [`${API}/audit/verify`]: {
    get: operation({
      operationId: 'verifyAudit',
      summary: 'The whole audit chain checked, as `overa audit verify` does',
      tag: 'audit',
      access: 'user',
      responses: { 200: json('The chain\'s state (`Cache-Control: no-store`)', ref('AuditChainState')) },
      problems: {
        403: 'Not an agency administrator (`not-allowed`).',
        500: 'The chain head (the `audit_head` row) is missing: the database is damaged and the log can be neither verified nor appended to (`audit-head-missing`).',
      },
    }),
  },
};
