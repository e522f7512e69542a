import type { SerbianFor } from '../registry.ts';
import type { formGroupMessages } from '../en/form-group.ts';

/** Serbian (Latin script) for repeating groups in <overa-application-form>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof formGroupMessages> = {
  'form.pageBack': 'Nazad',
  // The item's label is nominative: after a colon, as the validator's messages put labels.
  'form.group.addFirst': 'Dodaj: {item}',
  'form.group.addAnother': 'Dodaj još: {item}',
  'form.group.remove': 'Ukloni',
  'form.group.removed': 'Uklonjeno: {item}',
  'form.group.none': 'Još ništa nije dodato.',
  'form.group.full': {
    plural: 'max',
    one: 'Dodali ste najviše što obrazac prima: {max}.',
    few: 'Dodali ste najviše što obrazac prima: {max}.',
    other: 'Dodali ste najviše što obrazac prima: {max}.',
  },
};

export default messages;
