import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
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

/** English messages for repeating groups in <overa-application-form> (a chunk loaded with the first group); Serbian loads from ../sr-latn/form-group.ts. */
export const formGroupMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/form-group.ts'));
