import type { IncomingMessage } from 'node:http';
import Router from '@koa/router';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import { HttpError } from '../http-error.ts';
import { configuredRateLimit, clientIp } from '../middleware/rate-limit.ts';
import { refuseBody } from '../multipart.ts';
import type { Deps } from '../services/deps.ts';
import { documentStatusByCode } from '../services/verification.ts';

const MiB = 1024 * 1024;

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body-too-large', 'The file is too large', { detail: `At most ${limit} bytes are verified` });
}

function aborted(): HttpError {
  return new HttpError(400, 'request-aborted', 'The request was aborted', { detail: 'The client closed the connection before the whole file arrived' });
}

/**
 * The raw request body, at most `limit` bytes: cut off (413) as soon as it crosses the limit,
 * the rest drained so that a client still sending sees the answer.
 */
function readBody(req: IncomingMessage, limit: number, drainLimit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (err: Error | undefined, body?: Buffer) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(body!);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(refuseBody(req, tooLarge(limit), drainLimit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(undefined, Buffer.concat(chunks, size));
    const onError = () => settle(aborted());
    const onClose = () => {
      if (!req.complete) settle(aborted());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * `POST /verify`: public (no sign-in), rate-limited per client IP (`rateLimits.verify`). The
 * body is the PDF itself (`Content-Type: application/pdf`, at most `uploadMaxBytes`; the JSON
 * body parser leaves this path alone). The answer is core's `verifyDocument` report, the same
 * one `<overa-verify>` makes in the browser, checked against the server's trust anchors and
 * its WebAuthn relying party and origins.
 */
export function verifyRoutes(deps: Deps): Router {
  const router = new Router();
  const drainLimit = Math.max(2 * deps.config.uploadMaxBytes, 8 * MiB);
  const rateLimit = configuredRateLimit(deps, 'verify', clientIp, { refuse: (ctx, err) => refuseBody(ctx.req, err, drainLimit) });

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
    const bytes = await readBody(ctx.req, limit, drainLimit);
    if (bytes.length === 0) throw new HttpError(400, 'validation', 'The file is empty', { detail: 'Send the PDF as the request body' });

    const report = await verifyDocument(bytes, {
      trustAnchors: await deps.trustAnchors(deps),
      rpId: deps.config.rpId,
      allowedOrigins: deps.config.origins,
      limits: { maxFileBytes: limit },
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = report;
  });

  // The QR code on a document leads here (through the verification page): its status by code.
  router.get('/verify/:code', configuredRateLimit(deps, 'verify', clientIp), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await documentStatusByCode(deps, ctx.params.code!);
  });

  return router;
}
