import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { clientIp, configuredRateLimit } from '../middleware/rate-limit.ts';
import { RequestQuery } from '../request-query.ts';
import type { Deps } from '../services/deps.ts';
import { MAX_MONTHS, openDataStatistics, parseMonth, statisticsCsv, type CsvLang, type StatisticsQuery } from '../services/statistics.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LANGS: readonly CsvLang[] = ['en', 'sr-Latn', 'sr-Cyrl'];
/** Public and the same for everybody: shared caches may keep it for a few minutes. */
const CACHE_CONTROL = 'public, max-age=300';

function parseQuery(ctx: ParameterizedContext): StatisticsQuery & { lang: CsvLang } {
  const query = new RequestQuery(ctx.query);
  const slug = (name: 'agency' | 'form') =>
    query.string(name, { max: 64, valid: SLUG, message: `${name} must be an id: lower-case letters and digits joined by hyphens` });
  const month = (name: 'from' | 'to') =>
    query.string(name, { max: 7, valid: (v) => parseMonth(v) !== undefined, code: 'month', message: `${name} must be a month YYYY-MM from 2000-01 on` });
  const agencyId = slug('agency');
  const formId = slug('form');
  const from = month('from');
  const to = month('to');
  if (from !== undefined && to !== undefined) {
    const span = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1;
    if (to < from) query.invalid('to', 'range', 'to must not be before from');
    else if (span > MAX_MONTHS) query.invalid('to', 'range', `at most ${MAX_MONTHS} months at once`);
  }
  const lang = query.enum('lang', LANGS) ?? 'sr-Latn';
  query.done();
  return { agencyId, formId, from, to, lang };
}

/** Answers `body` as `type`, cacheable, with an ETag over the bytes (`304` when the caller has them). */
function send(ctx: ParameterizedContext, type: string, body: string): void {
  ctx.status = 200;
  ctx.set('Cache-Control', CACHE_CONTROL);
  ctx.etag = createHash('sha256').update(body).digest('base64url');
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = type;
  ctx.body = body;
}

/**
 * `GET /open-data/statistics.json` and `.csv`: service performance per agency, form and month
 * (services/statistics.ts), public (no sign-in), cacheable, rate-limited per client IP
 * (`rateLimits.openData`). Query: `agency`, `form` (ids), `from`, `to` (months `YYYY-MM`,
 * inclusive), and for the CSV `lang` (names and the note: `sr-Latn` by default, `sr-Cyrl`, `en`).
 */
export function openDataRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/open-data' });
  const limit = configuredRateLimit(deps, 'openData', clientIp);

  router.get('/statistics.json', limit, async (ctx) => {
    const query = parseQuery(ctx);
    send(ctx, 'application/json; charset=utf-8', JSON.stringify(await openDataStatistics(deps, query)));
  });

  router.get('/statistics.csv', limit, async (ctx) => {
    const query = parseQuery(ctx);
    const csv = statisticsCsv(await openDataStatistics(deps, query), query.lang);
    ctx.set('Content-Disposition', 'attachment; filename="overa-statistics.csv"');
    send(ctx, 'text/csv; charset=utf-8', csv);
  });

  return router;
}
