/**
 * Words for the form validator's issues (components/core/forms/validate.ts). Core returns
 * codes and parameters only; this module, on the i18n side of the one-way dependency
 * (i18n may import core, never the reverse), picks the message for the field's type,
 * formats dates, sizes and file types for the language, and uses a definition's own
 * `patternMessage`.
 */
import { localize, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import type { FieldError } from '../core/problem.ts';
import { validationMessages } from './en/validation.ts';
import { formatMessage, type Lang, type MessageKey, type MessageParams } from './format.ts';
import { acceptedTypes, formatBytes, formatDate } from './format-values.ts';
import { lookupMessage } from './registry.ts';

/** The area whose words this module picks: an element that shows form issues lists it in its messages. */
export { validationMessages };

const text = (lang: Lang, key: MessageKey, params: MessageParams = {}) => formatMessage(lang, lookupMessage(lang, key) ?? key, params);


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

/**
 * The message for an issue in `lang`. Pass the definition for the best wording: the
 * field's type picks the words for `required`, its `patternMessage` replaces the generic
 * one, and a `today` date bound is said as such. Without it the message is generic.
 */
export function formIssueMessage(issue: ValidationIssue, lang: Lang, def?: FormDefinition): string {
  const field = def?.fields.find((f) => f.name === issue.field);
  const params: Record<string, string | number> = { ...issue.params };
  switch (issue.code) {
    case 'required':
      return text(lang, requiredKey(field));
    case 'type':
      return text(lang, field?.type === 'number' ? 'validation.type.number' : 'validation.type');
    case 'unknownField':
      return text(lang, 'validation.unknownField', { field: issue.field });
    case 'pattern':
      return field?.patternMessage !== undefined ? localize(field.patternMessage, lang) : text(lang, 'validation.pattern');
    case 'min':
    case 'max': {
      const bound = params[issue.code];
      if (typeof bound !== 'string') return text(lang, `validation.${issue.code}`, params);
      if (field?.[issue.code] === 'today') return text(lang, `validation.${issue.code}.today`);
      return text(lang, `validation.${issue.code}.date`, { [issue.code]: formatDate(lang, bound) });
    }
    case 'email':
      return text(lang, 'validation.email', { example: lang === 'en' ? 'name@example.com' : 'ime.prezime@primer.rs' });
    case 'accept':
      return text(lang, 'validation.accept', { types: acceptedTypes(lang, String(params.accept ?? '').split(',')) });
    case 'maxSize':
      return text(lang, 'validation.maxSize', { max: formatBytes(lang, Number(params.max)) });
    default:
      return text(lang, `validation.${issue.code}`, params);
  }
}

/**
 * An issue as the FieldError of a problem+json response (or of the element's error
 * summary): the server sends English (`lang` 'en'), the element shows its own language.
 */
export function issueToFieldError(issue: ValidationIssue, lang: Lang = 'en', def?: FormDefinition): FieldError {
  return { field: issue.field, code: issue.code, message: formIssueMessage(issue, lang, def) };
}
