import { API, empty, header, json, operation, parameterRef, queryParam, ref, type Parameter, type Paths } from '../common.ts';

const id = { type: 'string', maxLength: 64, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' };
const month = { type: 'string', pattern: '^\\d{4}-\\d{2}$' };

const filters: Parameter[] = [
  queryParam('agency', 'An agency id', id),
  queryParam('form', 'A form id', id),
  queryParam('from', 'First month `YYYY-MM` (of first submission, in Serbia), from 2000-01 on', month),
  queryParam('to', 'Last month `YYYY-MM`, inclusive; at most 600 months after `from`', month),
];

const problems = { 400: 'A parameter given twice or not valid: `agency`, `form` (`invalid`), `from`, `to` (`month`, `range`), `lang` (`validation`).' };
const cached = { ETag: header('ETag', { required: true }) };

/** Open data: service performance with no personal data (docs/server.md, "Open data"). */
export const openDataPaths: Paths = {
  [`${API}/open-data/statistics.json`]: {
    get: operation({
      operationId: 'openDataStatistics',
      summary: 'Service performance per agency, form and month, as JSON',
      description: 'Public and the same for everybody: `Cache-Control: public, max-age=300`. Counts below `openDataMinCount` are suppressed. Each row also says how many finished requests were decided within the legal time limit of their form (`decidedOnTime`) and their share (`onTimePercent`).',
      tag: 'open-data',
      access: 'public',
      rateLimited: 'openData',
      parameters: [...filters, parameterRef('If-None-Match')],
      responses: {
        200: json('The statistics', ref('OpenDataStatistics'), cached),
        304: empty('`If-None-Match` matched', { ETag: header('ETag') }),
      },
      problems,
    }),
  },
  [`${API}/open-data/statistics.csv`]: {
    get: operation({
      operationId: 'openDataStatisticsCsv',
      summary: 'The same statistics as CSV',
      description: 'One row per agency, form and month, with a header row in `lang`; an attachment `overa-statistics.csv`. `Cache-Control: public, max-age=300`. RFC 4180; the columns of the JSON rows, `decided_on_time` and `on_time_percent` last (after `note`); a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return has a `\'` in front, so that spreadsheets do not run it as a formula.',
      tag: 'open-data',
      access: 'public',
      rateLimited: 'openData',
      parameters: [...filters, queryParam('lang', 'Names and the note: `sr-Latn` (default), `sr-Cyrl`, `en`', { enum: ['sr-Latn', 'sr-Cyrl', 'en'] }), parameterRef('If-None-Match')],
      responses: {
        200: {
          description: 'The statistics as CSV',
          headers: { ...cached, 'Content-Disposition': header('Content-Disposition', { required: true }) },
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        304: empty('`If-None-Match` matched', { ETag: header('ETag') }),
      },
      problems,
    }),
  },
};
