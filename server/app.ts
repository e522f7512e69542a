import Koa from 'koa';
import Router from '@koa/router';
import pino, { type Logger } from 'pino';
import { DEFAULT_HTTP_TIMEOUTS, type Config } from './config.ts';
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
import { staticFiles } from './middleware/static-files.ts';
import { authRoutes } from './routes/auth.ts';
import { meRoutes } from './routes/me.ts';
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
import { caseRoutes } from './routes/cases.ts';
import { delegationRoutes } from './routes/delegations.ts';
import { verifyRoutes, type TrustAnchorSource } from './routes/verify.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { createEventBus, type EventBus } from './services/events.ts';
import { loadForms, NO_FORMS, type FormRegistry } from './services/forms.ts';
import { VerificationLoad, verificationLoadLimits } from './services/verification-load.ts';

export interface AppOptions {
  /** An open, migrated database (see db/connection.ts). */
  db: Db;
  log?: Logger;
  now?: () => number;
  /** Form definitions; by default loaded from `config.formsDir` (none when it is unset). */
  forms?: FormRegistry;
  /** Extra static folders, e.g. the built element bundle at `/dist`. */
  mounts?: { prefix: string; root: string }[];
  /** Case events for open inboxes; by default in process (SQLite) or LISTEN/NOTIFY (PostgreSQL). */
  events?: EventBus;
  /** Trust anchors for `POST /api/v1/verify`; by default none (nothing is trusted). */
  trustAnchors?: TrustAnchorSource;
}

export type OveraApp = Koa & { readonly deps: Deps; readonly log: Logger };

/**
 * Builds the Koa app from a config without listening, so tests run it in-process and
 * `main.ts` puts it behind a socket. Middleware order: errors first (so everything below
 * answers problem+json), then request id, logging, headers, CORS, body, authentication.
 */
export function createApp(config: Config, options: AppOptions): OveraApp {
  const log = options.log ?? pino({ level: config.logLevel });
  const deps: Deps = {
    db: options.db,
    config,
    now: options.now ?? Date.now,
    events: options.events ?? createEventBus(options.db, config.databaseUrl),
    verificationLoad: new VerificationLoad(verificationLoadLimits(config)),
  };
  // X-Forwarded-* are believed only from the configured number of proxies (client IPs feed the rate limits).
  const hops = config.trustProxy ?? 0;
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops }) as OveraApp;
  Object.defineProperty(app, 'deps', { value: deps });
  Object.defineProperty(app, 'log', { value: log });
  // Koa logs errors itself unless told otherwise; errorHandler already logged them.
  app.silent = true;

  const forms = options.forms ?? (config.formsDir ? loadForms(config.formsDir) : NO_FORMS);
  const api = new Router({ prefix: '/api/v1' });
  api.use(authRoutes(deps).routes());
  api.use(formRoutes(forms).routes());
  api.use(applicationRoutes(deps, forms).routes());
  api.use(signatureRoutes(deps).routes());
  api.use(documentRoutes(deps, forms).routes());
  api.use(receptionRoutes(deps).routes());
  api.use(trustRoutes(deps).routes());
  api.use(inboxRoutes(deps, forms).routes());
  api.use(caseRoutes(deps, forms).routes());
  api.use(delegationRoutes(deps).routes());
  api.use(meRoutes().routes());
  api.use(uploadRoutes(deps).routes());
  api.use(auditRoutes(deps).routes());
  api.use(verifyRoutes(deps, { trustAnchors: options.trustAnchors }).routes());
  api.use(openDataRoutes(deps, forms).routes());
  api.use(openApiRoutes().routes());

  // The access log is outside the error handler, so it logs the status the client got.
  app.use(requestId());
  app.use(accessLog({ log }));
  app.use(errorHandler({ log }));
  app.use(securityHeaders());
  app.use(corsForOrigins({ origins: config.origins }));
  // Only paths one of its routes matches enter the health router: every other request went
  // through its dispatch (host check, match, not-found event) for nothing. `.router` as on
  // routes() itself, for whoever lists the app's routes (test/helpers/routes.ts).
  const healthRouter = healthRoutes(options.db);
  const health = healthRouter.routes() as Koa.Middleware;
  app.use(Object.assign(
    (ctx: Koa.Context, next: Koa.Next) => (healthRouter.stack.some((layer) => layer.match(ctx.path)) ? health(ctx, next) : next()),
    { router: healthRouter },
  ));
  if (config.staticDir) app.use(staticFiles({ root: config.staticDir, prefix: '/', notFound: '404.html' }));
  for (const mount of options.mounts ?? []) app.use(staticFiles(mount));
  app.use(refuseNulInUrl());
  app.use(jsonBody({ limit: config.jsonLimit, streamed: ['/api/v1/uploads', '/api/v1/verify'], idleMs: config.bodyIdleTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyIdleTimeoutMs }));
  app.use(authenticate({ db: options.db, now: deps.now }));
  app.use(api.routes());
  // Not `throw: true`: the router would throw before setting `Allow`, which RFC 9110 requires on a
  // 405. It sets the status and `Allow` on an empty answer, which errorHandler words as problem+json.
  app.use(api.allowedMethods());
  return app;
}
