/**
 * Words for the form validator's issues (components/core/forms/validate.ts). Core returns
 * codes and parameters only; this module, on the i18n side of the one-way dependency
 * (i18n may import core, never the reverse), makes the message from the field's label and
 * the rule (or takes the definition's own `messages`), formats dates, sizes and file types
 * for the language. The browser and the server both call it: the element's inline errors and
 * the server's problem+json field errors are the same words.
 */
import { itemTitle, localize, parseFieldPath, type FormDefinition, type FormField, type MessageCode } from '../core/forms/definition.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import type { FieldError } from '../core/problem.ts';
import { validationMessages } from './en/validation.ts';
import { formatMessage, type Lang, type MessageKey, type MessageParams } from './format.ts';
import { acceptedTypes, formatBytes, formatDate } from './format-values.ts';
import { lookupMessage } from './registry.ts';

/** The area whose words this module picks: an element that shows form issues lists it in its messages. */
export { validationMessages };

const text = (lang: Lang, key: MessageKey, params: MessageParams = {}) => formatMessage(lang, lookupMessage(lang, key) ?? key, params);


/** How a field's label stands in a message: inside a sentence, at its start, and whether it is a question. */
interface LabelForms {
  readonly label: string;
  readonly Label: string;
  readonly question: boolean;
}

/** English words a label may start with that take no "the" before them. */
const DETERMINERS = new Set(['the', 'a', 'an', 'your', 'my', 'his', 'her', 'its', 'our', 'their', 'this', 'that', 'these', 'those', 'any', 'each', 'every', 'some', 'all', 'no']);

/**
 * The field's label as messages use it. English puts it inside the sentence with "the"
 * ("Enter the email address", "Attach the project documentation"; not before "your", "a", …),
 * its first letter in lower case unless the first word is an abbreviation (JMBG, PIB). Serbian labels stay as written: they are nominative, so Serbian messages put
 * them after a colon or as the subject of the sentence. A trailing colon is dropped.
 */
function labelForms(field: FormField, lang: Lang): LabelForms {
  const Label = localize(field.label, lang).trim().replace(/\s*:$/, '');
  const question = /[?？]$/.test(Label);
  const first = Label.split(/\s/, 1)[0] ?? '';
  const abbreviation = /\p{Lu}/u.test(first.slice(1));
  if (lang !== 'en') return { label: Label, Label, question };
  const lower = abbreviation ? Label : Label.charAt(0).toLocaleLowerCase('en') + Label.slice(1);
  return { label: DETERMINERS.has(first.toLowerCase()) ? lower : `the ${lower}`, Label, question };
}

type Shape = 'text' | 'choice' | 'file' | 'confirm';

function shapeOf(field: FormField): Shape {
  switch (field.type) {
    case 'select':
    case 'radio':
      return 'choice';
    case 'checkbox':
      return field.options ? 'choice' : 'confirm';
    case 'file':
      return 'file';
    default:
      return 'text';
  }
}

/** The generic words for a missing answer (no definition to take a label from). */
function requiredKey(field: FormField | undefined): MessageKey {
  switch (field?.type) {
    case 'select':
    case 'radio':
      return 'validation.required.choice';
    case 'checkbox':
      return field.options ? 'validation.required.choices' : 'validation.required.confirm';
    case 'date':
      return 'validation.required.date';
    case 'number':
      return 'validation.required.number';
    case 'file':
      return 'validation.required.file';
    default:
      return 'validation.required';
  }
}

/** "Enter …", "Select …", "Attach …" (or "Sign in to attach …" for a person not signed in), from the label. */
function requiredMessage(field: FormField, lang: Lang, signedIn: boolean): string {
  const shape = shapeOf(field);
  // A declaration's label is the statement itself: "Select the box to continue" says it best.
  if (shape === 'confirm') return text(lang, 'validation.required.confirm');
  const forms = labelForms(field, lang);
  const params = { label: forms.label };
  if (shape === 'file') return text(lang, signedIn ? 'validation.required.file.label' : 'validation.required.file.signIn', params);
  const kind = shape === 'choice' ? 'choice' : 'text';
  return text(lang, `validation.required.${kind}.${forms.question ? 'question' : 'label'}`, { label: forms.question ? forms.Label : forms.label });
}

/** Options for formIssueMessage. */
export interface IssueMessageOptions {
  /**
   * False when the person is not signed in (in the browser): a required file then says to sign
   * in first. Default true, as on the server, where only a signed-in person sends answers.
   */
  readonly signedIn?: boolean;
}

/** The definition's own message for the issue's rule (`messages`, or `patternMessage`), if it has one. */
function ownMessage(field: FormField | undefined, code: string, lang: Lang): string | undefined {
  if (!field) return undefined;
  const own = field.messages?.[code as MessageCode] ?? (code === 'pattern' ? field.patternMessage : undefined);
  return own === undefined ? undefined : localize(own, lang);
}

/**
 * The message for an issue in `lang`, saying what to do about that field, as GOV.UK's error
 * messages do. With the definition: the field's own message for the rule (`messages`,
 * `patternMessage`) when it has one, else a sentence made from its label and the rule —
 * "Enter <label>", "Select <label>", "Attach <label>", "<Label> must be …" (a label that is a
 * question is quoted, or left to the rule's plain words: "Enter at least 10 characters").
 * Without the definition the words are the rule's alone ("Enter an answer").
 */
export function formIssueMessage(issue: ValidationIssue, lang: Lang, def?: FormDefinition, options: IssueMessageOptions = {}): string {
  const path = parseFieldPath(issue.field);
  if (path.group === undefined || issue.code === 'unknownField') return fieldMessage(issue, lang, def, fieldAt(def, issue.field), options);
  // An item's field: the same words for the sub-field, after the item's name ("Co-owner 2: enter the JMBG").
  const group = def?.fields.find((f) => f.name === path.group);
  const item = group ? itemTitle(group, path.index!, lang) : `${path.group} ${path.index! + 1}`;
  const inner = fieldMessage(issue, lang, def, group?.fields?.find((f) => f.name === path.field), options);
  return text(lang, 'validation.inItem', { item, message: lowerFirst(inner, lang) });
}

/** The field a path names: a top-level field, or the field of a group's item (`coOwners[1].jmbg`). */
export function fieldAt(def: FormDefinition | undefined, path: string): FormField | undefined {
  const p = parseFieldPath(path);
  if (p.group === undefined) return def?.fields.find((f) => f.name === p.field);
  return def?.fields.find((f) => f.name === p.group)?.fields?.find((f) => f.name === p.field);
}

/** A message inside a sentence: its first letter in lower case, unless its first word is an abbreviation (JMBG). */
function lowerFirst(message: string, lang: Lang): string {
  const first = message.split(/\s/, 1)[0] ?? '';
  return /\p{Lu}/u.test(first.slice(1)) ? message : message.charAt(0).toLocaleLowerCase(lang) + message.slice(1);
}

function fieldMessage(issue: ValidationIssue, lang: Lang, def: FormDefinition | undefined, field: FormField | undefined, options: IssueMessageOptions): string {
  const own = ownMessage(field, issue.code, lang);
  if (own !== undefined) {
    if (issue.code !== 'required' || field?.type !== 'file' || options.signedIn !== false) return own;
    return text(lang, 'validation.required.file.signInThen', { action: own.charAt(0).toLocaleLowerCase(lang) + own.slice(1) });
  }
  const params: Record<string, string | number> = { ...issue.params };
  // The label in a sentence "<Label> must be …" (a question cannot be the subject of one).
  const forms = field ? labelForms(field, lang) : undefined;
  const named = forms && !forms.question ? forms : undefined;
  const withLabel = (key: MessageKey, extra: Record<string, string | number> = {}): string =>
    named ? text(lang, `${key}.label` as MessageKey, { ...params, ...extra, label: named.label, Label: named.Label }) : text(lang, key, { ...params, ...extra });
  switch (issue.code) {
    case 'required':
      return field ? requiredMessage(field, lang, options.signedIn ?? true) : text(lang, requiredKey(field));
    case 'type':
      return text(lang, field?.type === 'number' ? 'validation.type.number' : 'validation.type');
    case 'unknownField':
      return text(lang, 'validation.unknownField', { field: issue.field });
    case 'pattern':
    case 'minLength':
    case 'maxLength':
    case 'jmbg':
    case 'pib':
      return withLabel(`validation.${issue.code}`);
    case 'date':
      return withLabel('validation.date');
    case 'min':
    case 'max': {
      const bound = params[issue.code];
      if (typeof bound !== 'string') return withLabel(`validation.${issue.code}`);
      if (field?.[issue.code] === 'today') return withLabel(`validation.${issue.code}.today`);
      return withLabel(`validation.${issue.code}.date`, { [issue.code]: formatDate(lang, bound) });
    }
    case 'email':
      return text(lang, 'validation.email', { example: lang === 'en' ? 'name@example.com' : 'ime.prezime@primer.rs' });
    case 'accept':
      return text(lang, 'validation.accept', { types: acceptedTypes(lang, String(params.accept ?? '').split(',')) });
    case 'maxSize':
      return text(lang, 'validation.maxSize', { max: formatBytes(lang, Number(params.max)) });
    case 'matchesJmbg': {
      const jmbgField = fieldAt(def, String(params.jmbgField ?? ''));
      const expected = String(params.expected ?? '');
      const option = field?.options?.find((o) => o.value === expected);
      const said = field?.type === 'date' ? formatDate(lang, expected) : option ? localize(option.label, lang) : expected;
      const jmbg = jmbgField ? labelForms(jmbgField, lang).label : 'JMBG';
      const Label = forms?.Label ?? (field ? localize(field.label, lang) : '');
      return text(lang, 'validation.matchesJmbg', { Label, jmbg, expected: said });
    }
    default:
      return text(lang, `validation.${issue.code}`, params);
  }
}

/**
 * An issue as the FieldError of a problem+json response (or of the element's error
 * summary): the server sends English (`lang` 'en'), the element shows its own language.
 */
export function issueToFieldError(issue: ValidationIssue, lang: Lang = 'en', def?: FormDefinition): FieldError {
  const error: FieldError = { field: issue.field, code: issue.code, message: formIssueMessage(issue, lang, def) };
  return issue.params ? { ...error, params: issue.params } : error;
}
