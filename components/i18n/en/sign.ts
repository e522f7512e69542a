import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // <overa-sign>
  'sign.title': 'Sign with your passkey',
  'sign.actionLabel': 'You are signing:',
  'sign.action.application.submit': 'that you submit this application, exactly as shown',
  'sign.action.decision.approve': 'your approval of this request',
  'sign.action.decision.agree': 'your agreement with this request',
  'sign.action.decision.review': 'your review of this request',
  'sign.action.decision.return': 'that you return this request to the applicant',
  'sign.action.decision.reject': 'that you reject this request',
  'sign.action.reception.accept': 'that your agency received this document',
  'sign.action.generic': '“{action}”',
  'sign.fingerprintLabel': 'Content fingerprint:',
  'sign.fingerprintHint': 'This code stands for exactly the content you sign. It is printed on the issued document, so anyone can see that nothing was changed.',
  'sign.button': 'Sign with a passkey',
  'sign.preparing': 'Preparing what you will sign…',
  'sign.signed': 'Signed. Your signature is bound to exactly this content.',
  'sign.cancelled': 'The passkey request was cancelled or timed out. Nothing was signed. Sign again when you are ready.',
  'sign.signInFirst': 'To sign, first sign in with your passkey, or create one.',
  'sign.errorTitle': 'It could not be signed',
  'problem.subject-changed': 'What you were signing changed in the meantime. Check it again, then sign.',
  'problem.not-allowed': 'You cannot sign this now.',
  'problem.not-found': 'What you want to sign cannot be found.',
};

/** English messages for <overa-sign>; Serbian loads from ../sr-latn/sign.ts when needed. */
export const signMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/sign.ts'));
