/**
 * What `<overa-application-form>` checks answers and chosen files with, and the words for what
 * it finds: the shared validator (components/core/forms/validate.ts, the same the server runs),
 * the file rules, and the validator's messages. A chunk of its own: nothing is wrong with a form
 * nobody has touched, so the element loads it on idle after its first render, and waits for it
 * only if someone leaves a field, chooses a file or continues before it is in.
 */
import type { FormDefinition, FormField } from '../core/forms/definition.ts';
import { validateApplication, type UploadInfo, type ValidationIssue } from '../core/forms/validate.ts';
import { accept, maxSize, notEmpty } from '../core/forms/validators.ts';
import { todayIn } from '../core/forms/dates.ts';
import { formIssueMessage, validationMessages } from '../i18n/form-messages.ts';

export const messages = [validationMessages];

/** The words for an issue, for the field's type (and the definition's own pattern message). */
export const issueMessage = formIssueMessage;

/** What stops these answers from being sent, at most one issue per field, in the form's order. */
export function issuesIn(def: FormDefinition, data: unknown, uploads: Readonly<Record<string, UploadInfo>>): ValidationIssue[] {
  return validateApplication(def, data, { mode: 'submit', uploads, today: todayIn() }).issues;
}

/** The checks on a file before and after it is uploaded (components/application-form/attachments.ts). */
export interface FileRules {
  /** Why a chosen file is refused before a byte is sent (`room`: how many more the field takes), or undefined. */
  check(field: FormField, file: File, room: number): ValidationIssue | undefined;
  /** Why the server's reading of an uploaded file's type is not one the field accepts, or undefined. */
  typeIssue(field: FormField, mediaType: string): ValidationIssue | undefined;
}

export const fileRules: FileRules = {
  check(field, file, room) {
    if (room <= 0) return { field: field.name, code: 'maxFiles', params: { max: field.maxFiles ?? 1 } };
    if (notEmpty.validate(file.size)) return { field: field.name, code: 'empty' };
    if (field.maxSize !== undefined && maxSize.validate(file.size, field.maxSize)) {
      return { field: field.name, code: 'maxSize', params: { max: field.maxSize } };
    }
    // The browser's type comes from the name; an empty one is left to the server, which reads the bytes.
    return file.type ? fileRules.typeIssue(field, file.type) : undefined;
  },
  typeIssue(field, mediaType) {
    return field.accept && accept.validate(mediaType, field.accept)
      ? { field: field.name, code: 'accept', params: { accept: field.accept.join(', ') } }
      : undefined;
  },
};
