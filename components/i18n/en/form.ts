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
  'form.signInToContinue': 'Sign in with your passkey to continue this application.',
};

/** English messages for <overa-application-form>; Serbian loads from ../sr-latn/form.ts when needed. */
export const formMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/form.ts'));
