import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // <overa-verify>
  'verify.title': 'Check a document',
  'verify.intro': 'Drop the PDF here or type the verification code printed on it. The file is checked in your browser; it is not sent anywhere.',
  'verify.introOffline': 'Drop the PDF here. It is checked in your browser against the trust anchors this page gives; nothing is sent anywhere.',
  'verify.fileTitle': 'Check the file',
  'verify.fileHint': 'A PDF issued with an electronic seal. You can also drop it on this box.',
  'verify.choose': 'Choose a PDF',
  'verify.readingLabel': 'Reading {name}',
  'verify.reading': 'Reading {name}: {percent}%',
  'verify.checking': 'Checking the signatures…',
  'verify.fileUnreadable': 'The file could not be read. Choose it again.',
  'verify.codeTitle': 'Check the code',
  'verify.codeHint': '20 letters and digits in groups of four, as printed on the document, for example {example}.',
  'verify.codeInvalid': 'Enter the code as printed: 20 letters and digits, for example {example}',
  'verify.codeCharacter': 'Codes never contain “{character}”. Check that character against the document: codes have no {excluded}',
  'verify.codeLength': 'The code has 20 letters and digits. You entered {count}',
  'verify.codeUnknown': 'No document has this code. Check it against the document and try again',
  'verify.check': 'Check',
};

/** English messages for <overa-verify>; Serbian loads from ../sr-latn/verify.ts when needed. */
export const verifyMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/verify.ts'));
