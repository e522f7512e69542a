import Koa from 'koa';
import Router from '@koa/router';
import pino, { type Logger } from 'pino';
import { DEFAULT_HTTP_TIMEOUTS, DEFAULT_LTV, type Config } from './config.ts';
import type { Db } from './db/connection.ts';
import type { Deps } from './services/deps.ts';
import { errorHandler } from './middleware/errors.ts';
import { requestId } from './middleware/request-id.ts';
import { accessLog } from './middleware/access-log.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { corsForOrigins } from './middleware/cors.ts';
import { jsonBody } from './middleware/json-body.ts';
import { refuseNulInUrl } from './middleware/url-text.ts';
import { authenticate } from './middleware/authenticate.ts';
import { staticFiles, type StaticFilesOptions } from './middleware/static-files.ts';
import { compression } from './middleware/compression.ts';
import { authRoutes } from './routes/auth.ts';
import { meRoutes } from './routes/me.ts';
import { mailRoutes } from './routes/mail.ts';
import { passkeyRoutes } from './routes/passkeys.ts';
import { healthRoutes } from './routes/health.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { formRoutes } from './routes/forms.ts';
import { applicationRoutes } from './routes/applications.ts';
import { signatureRoutes } from './routes/signatures.ts';
import { documentRoutes } from './routes/documents.ts';
import { receptionRoutes } from './routes/reception.ts';
import { trustRoutes } from './routes/trust.ts';
import { auditRoutes } from './routes/audit.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { inboxEventRoutes } from './routes/inbox-events.ts';
import { caseRoutes } from './routes/cases.ts';
import { delegationRoutes } from './routes/delegations.ts';
import { verifyRoutes } from './routes/verify.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { exchangeRoutes } from './routes/exchange.ts';
import { DEFAULT_EXCHANGE_MAX_BYTES } from './services/exchange.ts';
import { adminFormRoutes } from './routes/admin-forms.ts';
import { createEventBus, type EventBus } from './services/events.ts';
import { readFormFiles, type FormRegistry } from './services/forms.ts';
import { FormCatalog } from './services/form-catalog.ts';
import { issueOnApproval } from './services/issuance-hook.ts';
import { NO_TRUST_ANCHORS, type TrustAnchorSource } from './services/trust.ts';
import { TrustedListCache } from './services/trusted-lists.ts';
import { createKeyStore } from './documents/keys.ts';
import { RevocationSource } from './documents/revocation.ts';
import { VerificationLoad, verificationLoadLimits } from './services/verification-load.ts';
import { ExchangeSignatures } from './documents/exchange-cms.ts';
import { GroupCommit } from './db/group-commit.ts';

export interface AppOptions {
  /** An open, migrated database (see db/connection.ts). */
  db: Db;
  log?: Logger;
  now?: () => number;
  /**
   * Form definitions; by default the forms kept in the database (services/form-catalog.ts),
   * where those of `config.formsDir` are loaded as published versions.
   */
  forms?: FormRegistry;
  /** Extra static folders, e.g. the built element bundle at `/dist` (`bundleMount`). */
  mounts?: StaticFilesOptions[];
  /** Case events for open inboxes; by default in process (SQLite) or LISTEN/NOTIFY (PostgreSQL). */
  events?: EventBus;
  /** Trust anchors for `POST /api/v1/verify`; by default none (nothing is trusted). */
  trustAnchors?: TrustAnchorSource;
}

export type OveraApp = Koa & { readonly deps: Deps; readonly log: Logger };

/** Every route factory has this shape: it gets the app's Deps and nothing else. */
type RouteFactory = (deps: Deps) => Router;

/** The API's resources, in the order their routers are tried. */
const API_ROUTES: readonly RouteFactory[] = [
  authRoutes, formRoutes, applicationRoutes, signatureRoutes, documentRoutes, receptionRoutes, trustRoutes,
  inboxRoutes, inboxEventRoutes, caseRoutes, delegationRoutes, meRoutes, mailRoutes, passkeyRoutes, uploadRoutes, auditRoutes, verifyRoutes, openDataRoutes, webhookRoutes, exchangeRoutes, adminFormRoutes,
  openApiRoutes,
];

/**
 * Builds the Koa app from a config without listening, so tests run it in-process and
 * `main.ts` puts it behind a socket. Middleware order: request id and the access log outside
 * the error handler (so the log sees the status the client got), then the error handler (so
 * everything below answers problem+json), headers, CORS, static files, body, authentication.
 */
export function createApp(config: Config, options: AppOptions): OveraApp {
  const log = options.log ?? pino({ level: config.logLevel });
  const deps: Deps = {
    db: options.db,
    config,
    now: options.now ?? Date.now,
    events: options.events ?? createEventBus(options.db, config.databaseUrl),
    forms: options.forms ?? new FormCatalog(options.db, options.now ?? Date.now, config.formsDir ? readFormFiles(config.formsDir) : []),
    keys: createKeyStore(config),
    trustAnchors: options.trustAnchors ?? NO_TRUST_ANCHORS,
    onApproved: issueOnApproval,
    log,
    verificationLoad: new VerificationLoad(verificationLoadLimits(config)),
    revocation: new RevocationSource({ timeoutMs: config.revocationTimeoutMs ?? DEFAULT_LTV.revocationTimeoutMs, now: options.now ?? Date.now }),
    trustedLists: new TrustedListCache(),
    exchangeSignatures: new ExchangeSignatures(),
    groupCommit: new GroupCommit(options.db),
  };
  // X-Forwarded-* are believed only from the configured number of proxies (client IPs feed the rate limits).
  const hops = config.trustProxy ?? 0;
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops }) as OveraApp;
  Object.defineProperty(app, 'deps', { value: deps });
  Object.defineProperty(app, 'log', { value: log });
  // Koa logs errors itself unless told otherwise; errorHandler already logged them.
  app.silent = true;

  const api = new Router({ prefix: '/api/v1' });
  for (const routes of API_ROUTES) api.use(routes(deps).routes());

  // The access log is outside the error handler, so it logs the status the client got.
  app.use(requestId());
  app.use(accessLog({ log }));
  app.use(errorHandler({ log }));
  app.use(securityHeaders());
  // Before the static files and the API, so it compresses what they answer (docs/decisions.md).
  app.use(compression());
  app.use(corsForOrigins({ origins: config.origins }));
  // Only paths one of its routes matches enter the health router: every other request went
  // through its dispatch (host check, match, not-found event) for nothing. `.router` as on
  // routes() itself, for whoever lists the app's routes (test/helpers/routes.ts).
  const healthRouter = healthRoutes(deps);
  const health = healthRouter.routes() as Koa.Middleware;
  app.use(Object.assign(
    (ctx: Koa.Context, next: Koa.Next) => (healthRouter.stack.some((layer) => layer.match(ctx.path)) ? health(ctx, next) : next()),
    { router: healthRouter },
  ));
  if (config.staticDir) app.use(staticFiles({ root: config.staticDir, prefix: '/', notFound: '404.html' }));
  for (const mount of options.mounts ?? []) app.use(staticFiles(mount));
  app.use(refuseNulInUrl());
  app.use(jsonBody({
    limit: config.jsonLimit,
    streamed: ['/api/v1/uploads', '/api/v1/verify', '/api/v1/mail/unsubscribe'],
    idleMs: config.bodyIdleTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyIdleTimeoutMs,
    // An exchange message carries documents (base64 parts).
    larger: { '/api/v1/exchange/messages': config.exchangeMaxBytes ?? DEFAULT_EXCHANGE_MAX_BYTES },
    // ... or, in the other encoding, its parts' bytes as they are (routes/exchange.ts).
    multipart: ['/api/v1/exchange/messages'],
  }));
  app.use(authenticate(deps));
  // The API answers from this instance's copy of the published forms: bring it up to date first
  // (one cheap query at most once a second; services/form-catalog.ts).
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/api/')) await deps.forms.refresh();
    return next();
  });
  app.use(api.routes());
  // Not `throw: true`: the router would throw before setting `Allow`, which RFC 9110 requires on a
  // 405. It sets the status and `Allow` on an empty answer, which errorHandler words as problem+json.
  app.use(api.allowedMethods());
  return app;
}
