import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // File fields of <overa-application-form>: drawn only in a form that has one.
  'form.signInForFiles': 'To attach files and send the application, sign in with a passkey or create one. You can answer the questions first.',
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

/** English messages for file fields in <overa-application-form> (a chunk loaded with a form that has one); Serbian loads from ../sr-latn/form-file.ts. */
export const formFileMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/form-file.ts'));
