/**
 * The HTTP API as an OpenAPI 3.1 document, assembled from one file per area (paths/*.ts) and
 * the shared schemas (schemas.ts). Served at `GET /api/v1/openapi.json` (routes/openapi.ts);
 * test/server/openapi.test.ts checks that it lists exactly the routes the Koa routers have and
 * that real answers match it. A new route goes into the paths file of its area (or a new one,
 * added to AREAS below).
 */
import { readFileSync } from 'node:fs';
import { HEADERS, PARAMETERS, type Header, type Parameter, type Paths, type Schema } from './common.ts';
import { SCHEMAS } from './schemas.ts';
import { healthPaths } from './paths/health.ts';
import { authPaths } from './paths/auth.ts';
import { formPaths } from './paths/forms.ts';
import { uploadPaths } from './paths/uploads.ts';
import { applicationPaths } from './paths/applications.ts';
import { signaturePaths } from './paths/signatures.ts';
import { inboxPaths } from './paths/inbox.ts';
import { casePaths } from './paths/cases.ts';
import { delegationPaths } from './paths/delegations.ts';
import { documentPaths } from './paths/documents.ts';
import { receptionPaths } from './paths/reception.ts';
import { trustPaths } from './paths/trust.ts';
import { verifyPaths } from './paths/verify.ts';
import { openDataPaths } from './paths/open-data.ts';
import { auditPaths } from './paths/audit.ts';
import { openApiPaths } from './paths/openapi.ts';
import { webhookPaths } from './paths/webhooks.ts';
import { exchangePaths } from './paths/exchange.ts';
import { adminFormPaths } from './paths/admin-forms.ts';
import { mailPaths } from './paths/mail.ts';

const AREAS: Paths[] = [
  healthPaths, authPaths, mailPaths, formPaths, uploadPaths, applicationPaths, signaturePaths, inboxPaths, casePaths, delegationPaths,
  documentPaths, receptionPaths, trustPaths, verifyPaths, openDataPaths, auditPaths, webhookPaths, exchangePaths, adminFormPaths, openApiPaths,
];

const TAGS = [
  { name: 'auth', description: 'Passkey accounts and sessions' },
  { name: 'forms', description: 'Form definitions' },
  { name: 'uploads', description: 'Files attached to applications' },
  { name: 'applications', description: 'Civil applications: drafts, submission, my applications' },
  { name: 'signatures', description: 'Passkey signatures over server-computed digests' },
  { name: 'approval', description: 'Officials: inbox, cases, decisions, delegations' },
  { name: 'documents', description: 'Issued, sealed documents, and their distribution between agencies' },
  { name: 'exchange', description: 'Signed documents and receipts between agencies on different Overa servers (docs/exchange.md)' },
  { name: 'verification', description: 'Public: verify a PDF or a code, trust anchors' },
  { name: 'open-data', description: 'Public: service performance statistics, with no personal data' },
  { name: 'audit', description: 'The hash-chained audit log, for administrators' },
  { name: 'admin', description: 'Administrators: webhooks for the agency\'s systems' },
  { name: 'health', description: 'Liveness and readiness' },
  { name: 'meta', description: 'This document' },
];

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export interface OpenApiDocument {
  openapi: string;
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  tags: { name: string; description: string }[];
  paths: Paths;
  components: {
    schemas: Record<string, Schema>;
    headers: Record<string, Header>;
    parameters: Record<string, Parameter>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

let built: OpenApiDocument | undefined;

/** The document (built once per process). */
export function openApiDocument(): OpenApiDocument {
  if (built) return built;
  const paths: Paths = {};
  for (const area of AREAS) {
    for (const [path, item] of Object.entries(area)) {
      if (paths[path]) throw new Error(`OpenAPI: ${path} is defined twice`);
      paths[path] = item;
    }
  }
  built = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Overa API',
      version: packageVersion(),
      description: [
        'The HTTP API of the Overa reference server: passkey accounts, forms, uploads, applications, passkey signatures,',
        'electronic approval, issued documents and public verification. JSON in and out; every error is',
        '`application/problem+json` (RFC 9457) with field-level `errors[]`. Sessions are bearer tokens.',
        'A path that does not exist is a `404` (`not-found`), a method a path does not have a `405` (`method-not-allowed`, with `Allow` listing the methods it has), one the server does not know a `501` (`not-implemented`); every `GET` also answers `HEAD`.',
        'The prose is docs/server.md.',
      ].join(' '),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: TAGS,
    paths,
    components: {
      schemas: SCHEMAS,
      headers: HEADERS,
      parameters: PARAMETERS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token from `auth/register/verify` or `auth/login/verify`' },
        accessToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The same token, for EventSource (`GET inbox/events` only)' },
      },
    },
  };
  return built;
}
