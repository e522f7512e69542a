import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // <overa-application-form>
  'form.loading': 'Loading the form…',
  'form.loadFailed': 'The form could not be loaded',
  'form.choose': 'Choose…',
  'form.continue': 'Continue',
  'form.autosaveNote': 'Your answers are saved in this browser as you go, so you can come back to them. They are removed once you send the application.',
  'form.restoreTitle': 'You have started this application before',
  'form.restoreText': 'We kept the answers you gave on {when} in this browser.',
  'form.restore': 'Continue where I left off',
  'form.startAgain': 'Start again',
  'form.restored': 'Your earlier answers are back in the form.',
  'form.returnedTitle': 'Application {number} was returned to you',
  'form.returnedText': 'Make the changes asked for above, then send the application again.',
  'form.signInForFiles': 'To attach files and send the application, sign in with a passkey or create one. You can answer the questions first.',
  'form.signInToContinue': 'Sign in with your passkey to continue this application.',
  'form.file.types': 'Files must be {types}.',
  'form.file.maxSize': 'Each file can be up to {max}.',
  'form.file.maxFiles': { plural: 'max', one: 'You can attach {max} file.', other: 'You can attach up to {max} files.' },
  'form.file.signIn': 'Sign in to attach files.',
  'form.file.listLabel': 'Files attached to “{field}”',
  'form.file.uploading': 'Uploading {name}',
  'form.file.uploaded': 'Uploaded',
  'form.file.failed': 'The file could not be uploaded. Try again',
  'form.file.chooseOne': 'Choose a file',
  'form.file.chooseMany': 'Choose files',
  'form.file.orDrop': 'or drop them here',
  'form.file.cancel': 'Cancel',
  'form.file.remove': 'Remove',
  'form.file.fixFailed': {
    plural: 'count',
    one: 'Remove {names}, which could not be attached, or choose another file',
    other: 'Remove {names}, which could not be attached, or choose other files',
  },
  'form.file.wait': 'Wait until the file has finished uploading',
};

/** English messages for <overa-application-form>; Serbian loads from ../sr-latn/form.ts when needed. */
export const formMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/form.ts'));
