import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'payment.title': 'Pay the fee',
  'payment.intro': 'Scan the QR code with your bank’s mobile app, or copy these details into a payment order.',
  'payment.requiredFirst': 'The agency starts work on your application once the fee is paid.',
  'payment.payee': 'Payee',
  'payment.account': 'Account',
  'payment.amount': 'Amount',
  'payment.paymentCode': 'Payment code',
  'payment.model': 'Model',
  'payment.reference': 'Payment reference',
  'payment.purpose': 'Purpose of payment',
  'payment.status': 'Fee:',
  'payment.awaiting': 'Awaiting payment',
  'payment.paid': 'Paid',
  'payment.paidOn': 'The payment was recorded on {date}.',
  'payment.qrLabel': 'IPS QR code for paying {amount} to {payee}',
  'payment.qrHint': 'Banking apps in Serbia read this code (NBS IPS QR).',
  'payment.qrFailed': 'The QR code could not be shown. Use the details above.',
  'payment.copy': 'Copy',
  'payment.copyWhat': 'Copy the {what}',
  'payment.copied': 'Copied: {what}',
  'payment.copyFailed': 'Could not copy. Select the text and copy it yourself.',
};

/** English for the fee's payment details and IPS QR code (the receipt and My applications); Serbian loads from ../sr-latn/payment.ts when needed. */
export const paymentMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/payment.ts'));
