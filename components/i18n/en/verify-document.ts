import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // <overa-verify>: the genuine document a valid code leads to (a chunk loaded with it)
  'verify.genuine.title': 'The document issued with this code',
  'verify.genuine.compare': 'Compare the paper or file you were given with this. If the name, the subject, the date or the fingerprint differ, what you were given is not this document.',
  'verify.genuine.holder': 'Issued to',
  'verify.genuine.issuedOn': 'Issued on',
  'verify.genuine.fingerprint': 'Content fingerprint',
  'verify.genuine.fingerprintHint': 'Printed on the document with its details. The same fingerprint means the same content.',
  'verify.genuine.fileFingerprint': 'Fingerprint of the PDF file (SHA-256)',
  'verify.genuine.download': 'Download the original PDF ({size})',
  'verify.genuine.previewLabel': 'The first page of the original document',
  'verify.genuine.loading': 'Loading the original document…',
  'verify.genuine.previewFailed': 'The first page cannot be shown here. Download the PDF to see it.',
  'verify.genuine.unavailable': 'The original document could not be loaded.',
  'verify.genuine.mismatch': 'The file received is not the one the issuer registered for this code. Do not rely on it; contact the issuer.',
  'verify.genuine.retry': 'Try again',
};

/** English messages for the genuine document of <overa-verify> (a chunk loaded after a valid code); Serbian loads from ../sr-latn/verify-document.ts when needed. */
export const verifyDocumentMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/verify-document.ts'));
