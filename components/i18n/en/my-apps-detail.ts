import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'myApps.statusLabel': 'Status:',
  'myApps.historyHeading': 'What has happened',
  'myApps.returnedTitle': 'Changes needed',
  'myApps.returnedIntro': 'The agency has returned your application and asks you to change the following:',
  'myApps.resubmit': 'Change and resubmit',
  'myApps.changeHeading': 'Change your application',
  'myApps.closeForm': 'Close without sending',
  'myApps.issuedIntro': 'Your document has been issued.',
  'myApps.download': 'Download the document ({format})',
  'myApps.downloading': 'Downloading the document…',
  'myApps.downloaded': 'The document has been downloaded.',
  'myApps.documentNotFound': 'The document is not available yet. Try again later.',
};

/** English messages for an opened application in <overa-my-applications> (a chunk loaded with it); Serbian loads from ../sr-latn/my-apps-detail.ts when needed. */
export const myAppsDetailMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/my-apps-detail.ts'));
