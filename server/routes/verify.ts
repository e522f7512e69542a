import Router from '@koa/router';
import { DEFAULT_HTTP_TIMEOUTS } from '../config.ts';
import { HttpError } from '../http-error.ts';
import { configuredRateLimit, clientIp } from '../middleware/rate-limit.ts';
import { refuseBody } from '../multipart.ts';
import { spoolBody } from '../spool.ts';
import type { Deps } from '../services/deps.ts';
import { documentPdfByCode, documentStatusByCode, verifySpool, verifySpooledPdf } from '../services/verification.ts';
import { trustedListsForVerification } from '../services/trusted-lists.ts';

const MiB = 1024 * 1024;

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body-too-large', 'The file is too large', { detail: `At most ${limit} bytes are verified` });
}

/**
 * `POST /verify`: public (no sign-in), rate-limited per client IP (`rateLimits.verify`). The
 * body is the PDF itself (`Content-Type: application/pdf`, at most `uploadMaxBytes`; the JSON
 * body parser leaves this path alone), spooled to a temp file as it arrives. The answer is
 * core's `verifyDocument` report, the same one `<overa-verify>` makes in the browser, checked
 * against the server's trust anchors and its WebAuthn relying party and origins — once the
 * instance has a turn free for it and within the file's work budget (services/verification.ts).
 */
export function verifyRoutes(deps: Deps): Router {
  const router = new Router();
  const drainLimit = Math.max(2 * deps.config.uploadMaxBytes, 8 * MiB);
  const rateLimit = configuredRateLimit(deps, 'verify', clientIp, { refuse: (ctx, err) => refuseBody(ctx.req, err, drainLimit) });
  const load = deps.verificationLoad;
  const spool = verifySpool(deps.config);

  router.post('/verify', rateLimit, async (ctx) => {
    const limit = deps.config.uploadMaxBytes;
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (!hasBody) throw new HttpError(400, 'validation', 'The request has no file', { detail: 'Send the PDF as the request body' });
    if (!ctx.is('application/pdf')) {
      throw refuseBody(
        ctx.req,
        new HttpError(415, 'unsupported-media-type', 'Send a PDF', { detail: `Send the file as application/pdf, not ${ctx.get('Content-Type') || '(no Content-Type)'}` }),
        drainLimit,
      );
    }
    // A declared length over the limit is refused before a byte is read.
    const declared = Number(ctx.get('Content-Length'));
    if (Number.isFinite(declared) && declared > limit) throw refuseBody(ctx.req, tooLarge(limit), drainLimit);
    // On disk while it arrives, however slowly: memory holds only the files being verified.
    const body = await spoolBody(ctx.req, {
      limit,
      tooLarge,
      tempPath: () => spool.tempPath(),
      drainLimit,
      idleMs: deps.config.bodyIdleTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyIdleTimeoutMs,
      onSpooled: (delta) => (load.spooledBytes += delta),
    });
    try {
      if (body.size === 0) throw new HttpError(400, 'validation', 'The file is empty', { detail: 'Send the PDF as the request body' });
      // A client that goes while waiting for a turn gives its place up.
      const gone = new AbortController();
      const onClose = () => gone.abort(new HttpError(400, 'request-aborted', 'The request was aborted', { detail: 'The client closed the connection while waiting' }));
      ctx.res.once('close', onClose);
      try {
        ctx.body = await verifySpooledPdf(deps, load, body, { trustAnchors: () => deps.trustAnchors(deps), trustedLists: () => trustedListsForVerification(deps), signal: gone.signal });
      } finally {
        ctx.res.off('close', onClose);
      }
      ctx.set('Cache-Control', 'no-store');
    } finally {
      await body.remove();
    }
  });

  // The QR code on a document leads here (through the verification page): its status by code.
  router.get('/verify/:code', configuredRateLimit(deps, 'verify', clientIp), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await documentStatusByCode(deps, ctx.params.code!);
  });

  // The genuine PDF of a valid document, for a code check to show and offer (same budget as the lookup).
  router.get('/verify/:code/pdf', configuredRateLimit(deps, 'verify', clientIp), async (ctx) => {
    const { document, pdf } = await documentPdfByCode(deps, ctx.params.code!);
    ctx.set('Cache-Control', 'no-store');
    ctx.attachment(`${document.verificationCode}.pdf`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = 'application/pdf';
    ctx.body = pdf;
  });

  return router;
}
