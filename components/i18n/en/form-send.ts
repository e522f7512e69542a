import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'form.signInTitle': 'Sign in to send',
  'form.signInToSend': 'Sign in with a passkey (or create one) to send your application. Your answers stay as they are.',
  'form.checkTitle': 'Check your answers before sending your application',
  'form.change': 'Change',
  'form.notProvided': 'Not provided',
  'form.sendTitle': 'Now send your application',
  'form.sendText': 'By sending this application you confirm that, to the best of your knowledge, the details you are providing are correct.',
  'form.sendTextSigned': 'You will sign the application with your passkey. By signing you confirm that, to the best of your knowledge, the details you are providing are correct.',
  'form.toSigning': 'Continue to signing',
  'form.draftNumber': 'Tracking number {number}',
  'form.send': 'Send application',
  'form.back': 'Back to the questions',
  'form.sending': 'Sending your application…',
  'form.sentTitle': 'Application sent',
  'form.trackingLabel': 'Your tracking number',
  'form.nextTitle': 'What happens next',
  'form.toApplications': 'Follow your application in My applications',
  'form.nextText': 'We have received your application “{form}”. An official will look at it, and you can follow every step in “My applications”.',
  'form.keepNumber': 'Keep the tracking number: quote it if you contact us about this application.',
  'form.changedElsewhere': 'This application was changed in another window. Your answers here are kept; send again to save them.',
};

/** English messages for checking, signing and sending an application and its receipt in <overa-application-form> (a chunk loaded with the check step); Serbian loads from ../sr-latn/form-send.ts when needed. */
export const formSendMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/form-send.ts'));
