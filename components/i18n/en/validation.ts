import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // Form answers, by validator code (components/core/forms): see formIssueMessage.
  'validation.required': 'Enter an answer',
  'validation.required.choice': 'Select an option',
  'validation.required.choices': 'Select at least one option',
  'validation.required.confirm': 'Select the box to continue',
  'validation.required.date': 'Enter a date',
  'validation.required.number': 'Enter a number',
  'validation.required.file': 'Attach a file',
  'validation.type': 'Enter a valid answer',
  'validation.type.number': 'Enter a number',
  'validation.unknownField': 'This form has no field named {field}',
  'validation.minLength': {
    plural: 'min',
    one: 'Enter at least {min} character',
    other: 'Enter at least {min} characters',
  },
  'validation.maxLength': {
    plural: 'max',
    one: 'Enter {max} character or fewer',
    other: 'Enter {max} characters or fewer',
  },
  'validation.min': 'Enter a number that is {min} or more',
  'validation.max': 'Enter a number that is {max} or less',
  'validation.min.date': 'Enter a date that is the same as or after {min}',
  'validation.max.date': 'Enter a date that is the same as or before {max}',
  'validation.min.today': 'The date must be today or in the future',
  'validation.max.today': 'The date must be today or in the past',
  'validation.pattern': 'Enter this in the correct format',
  'validation.email': 'Enter an email address in the correct format, like {example}',
  'validation.tel': 'Enter a telephone number, like 011 123 4567 or +381 64 123 4567',
  'validation.date': 'Enter a real date',
  'validation.option': 'Select one of the options shown',
  'validation.jmbg': 'Enter a valid JMBG: the 13-digit personal number shown on an ID card',
  'validation.pib': 'Enter a valid tax identification number (PIB): 9 digits',
  'validation.accept': 'The selected file must be a {types}',
  'validation.maxSize': 'The selected file must be {max} or smaller',
  'validation.empty': 'The selected file is empty',
  'validation.minFiles': {
    plural: 'min',
    one: 'Attach at least {min} file',
    other: 'Attach at least {min} files',
  },
  'validation.maxFiles': {
    plural: 'max',
    one: 'Attach no more than {max} file',
    other: 'Attach no more than {max} files',
  },
  // Made from the field's label (form-messages.ts): {label} inside a sentence, {Label} at its start.
  'validation.required.text.label': 'Enter {label}',
  'validation.required.choice.label': 'Select {label}',
  'validation.required.file.label': 'Attach {label}',
  'validation.required.file.signIn': 'Sign in to attach {label}',
  // The field's own message for a missing file, to a person not signed in: {action} begins in lower case.
  'validation.required.file.signInThen': 'Sign in, then {action}',
  // The label is a question: quoted, as it is.
  'validation.required.text.question': 'Enter an answer to “{label}”',
  'validation.required.choice.question': 'Select an answer to “{label}”',
  'validation.minLength.label': {
    plural: 'min',
    one: '{Label} must be {min} character or more',
    other: '{Label} must be {min} characters or more',
  },
  'validation.maxLength.label': {
    plural: 'max',
    one: '{Label} must be {max} character or fewer',
    other: '{Label} must be {max} characters or fewer',
  },
  'validation.min.label': '{Label} must be {min} or more',
  'validation.max.label': '{Label} must be {max} or less',
  'validation.min.date.label': '{Label} must be the same as or after {min}',
  'validation.max.date.label': '{Label} must be the same as or before {max}',
  'validation.min.today.label': '{Label} must be today or in the future',
  'validation.max.today.label': '{Label} must be today or in the past',
  'validation.pattern.label': '{Label} must be in the correct format',
  'validation.date.label': '{Label} must be a real date',
  'validation.jmbg.label': '{Label} must be 13 digits, exactly as on an ID card',
  'validation.pib.label': '{Label} must be 9 digits, exactly as the Tax Administration gave it',
  'validation.unknownUpload': 'This file did not reach us. Attach it again',
  'validation.duplicateUpload': 'The same file is attached twice. Remove one of them',
  // Repeating groups (issue 21): the group's question comes before these in the error summary.
  'validation.minItems': {
    plural: 'min',
    one: 'Add at least {min} item',
    other: 'Add at least {min} items',
  },
  'validation.maxItems': {
    plural: 'max',
    one: 'Give no more than {max} item',
    other: 'Give no more than {max} items',
  },
  // An error in one item of a group names the item: "Co-owner 2: enter the JMBG".
  'validation.inItem': '{item}: {message}',
  // A date of birth or sex that the JMBG contradicts: {jmbg} is the JMBG field's label, {expected} what the JMBG says.
  'validation.matchesJmbg': '{Label} does not match {jmbg}: by the JMBG it is {expected}',
};

/** English messages for the form validator's issues (components/i18n/form-messages.ts); Serbian loads from ../sr-latn/validation.ts when needed. */
export const validationMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/validation.ts'));
