import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // Forms with pages (issue 21): the link back to the page before.
  'form.pageBack': 'Back',
  // A repeating group in <overa-application-form> (issue 21). {item} is the item's label, in lower case inside a sentence.
  'form.group.addFirst': 'Add {item}',
  'form.group.addAnother': 'Add another {item}',
  // The button's visible word; the item it removes follows for screen readers ("Remove Co-owner 2").
  'form.group.remove': 'Remove',
  'form.group.removed': '{item} removed',
  'form.group.none': 'None added yet.',
  'form.group.full': {
    plural: 'max',
    one: 'You have added the most this form takes: {max}.',
    other: 'You have added the most this form takes: {max}.',
  },
};

/** English messages for pages and repeating groups in <overa-application-form> (a chunk loaded with a form that has them); Serbian loads from ../sr-latn/form-group.ts. */
export const formGroupMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/form-group.ts'));
