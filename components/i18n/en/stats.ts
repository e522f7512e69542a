import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // <overa-stats>
  'stats.loading': 'Loading the figures…',
  'stats.empty': 'No requests have been made in this period yet.',
  'stats.emptyHint': 'Figures appear here once requests are submitted online.',
  'stats.retry': 'Try again',
  'stats.chartsLabel': 'Requests per month',
  'stats.chartSummary': '{title}: requests submitted per month. {values}',
  'stats.barValue': { plural: 'count', one: '{month}: {count} request', other: '{month}: {count} requests' },
  'stats.barFewer': '{month}: fewer than {min} requests',
  'stats.fewer': 'fewer than\u00a0{min}',
  'stats.tableCaption': 'Service performance by month',
  'stats.col.month': 'Month',
  'stats.col.submitted': 'Requests',
  'stats.col.approved': 'Approved',
  'stats.col.returned': 'Returned for changes',
  'stats.col.rejected': 'Rejected',
  'stats.col.issued': 'Documents issued',
  'stats.col.finished': 'Decided',
  'stats.col.median': 'Median time to decision (days)',
  'stats.col.p90': '9 in 10 decided within (days)',
  'stats.col.onTime': 'Decided within the legal time limit',
  'stats.noTimeLimit': '–',
  'stats.note': 'A request counts in the calendar month it was first submitted (time in Serbia). Time to decision runs from the first submission to approval or rejection. To protect privacy, numbers below {min} are not shown, and times only when at least {min} requests were decided.',
  'stats.asOf': 'The latest month is not over yet. Figures as of {date}.',
  'stats.downloadsLabel': 'Open data',
  'stats.download': 'Download the figures as {format}',
  'stats.unknownForm': 'Service {form}',
};

/** English messages for <overa-stats>; Serbian loads from ../sr-latn/stats.ts when needed. */
export const statsMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/stats.ts'));
