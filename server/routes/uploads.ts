import Router from '@koa/router';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import type { Deps } from '../services/deps.ts';
import { openUpload, receiveUpload, uploadDrainLimit } from '../services/uploads.ts';
import { configuredRateLimit, signedInUser } from '../middleware/rate-limit.ts';
import { refuseBody } from '../multipart.ts';

/**
 * Uploads: `POST /uploads` takes one multipart `file` part, streamed (the JSON body parser
 * leaves this path alone); `GET /uploads/:id` gives the bytes back to whoever may read them.
 */
export function uploadRoutes(deps: Deps): Router {
  const router = new Router();

  // Per person, counting refused attempts too (uploadMaxPerDay counts stored uploads only).
  const limit = configuredRateLimit(deps, 'uploads', signedInUser, { refuse: (ctx, err) => refuseBody(ctx.req, err, uploadDrainLimit(deps.config)) });

  router.post('/uploads', requireUser(), limit, async (ctx) => {
    const upload = await receiveUpload(deps, ctx.state.user as User, ctx.req, { maxSize: ctx.query.maxSize });
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${upload.id}`);
    ctx.body = upload;
  });

  router.get('/uploads/:id', requireUser(), async (ctx) => {
    const { upload, handle } = await openUpload(deps, ctx.state.user as User, ctx.params.id!);
    ctx.status = 200;
    // Never rendered in our origin: downloaded, with the type we detected, not sniffed.
    ctx.attachment(upload.filename);
    ctx.type = upload.mediaType;
    ctx.length = upload.size;
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.etag = upload.sha256;
    if (ctx.fresh) {
      await handle.close();
      ctx.status = 304;
      return;
    }
    // Koa destroys the stream (closing the file) when the response ends, HEAD included.
    ctx.body = handle.createReadStream();
  });

  return router;
}
