import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // <overa-my-applications>
  'myApps.signedOut': 'Sign in with your passkey to see your applications and follow their progress.',
  'myApps.loading': 'Loading your applications…',
  'myApps.empty': 'You have not made any applications yet.',
  'myApps.emptyHint': 'When you apply online, your application appears here and you can follow its progress.',
  'myApps.listLabel': 'Your applications',
  'myApps.reference': 'Tracking number: {number}',
  'myApps.startedOn': 'Started on {date}',
  'myApps.submittedOn': 'Submitted on {date}',
  'myApps.updatedOn': 'Last updated on {date}',
  'myApps.unknownForm': 'Application ({form})',
  'myApps.showMore': 'Show more applications',
  'myApps.loadingMore': 'Loading more applications…',
  'myApps.showing': { plural: 'count', one: 'Showing {count} application', other: 'Showing {count} applications' },
  'myApps.retry': 'Try again',
  'myApps.detailHeading': 'Application {number}',
  'myApps.detailLoading': 'Loading the application…',
  'myApps.notFound': 'We cannot find this application. It may have been withdrawn.',
  'myApps.resubmitted': 'Your application has been sent again.',
};

/** English messages for <overa-my-applications>; Serbian loads from ../sr-latn/my-apps.ts when needed. */
export const myAppsMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/my-apps.ts'));
