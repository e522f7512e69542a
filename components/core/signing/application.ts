/**
 * What a citizen's passkey signature on submission covers: the application content exactly as
 * stored — the form, its version, the answers and the attachments (by upload id). The evidence
 * file carries the same object as `application.content` and its digest as `contentDigest`.
 * Shared by the server (which builds and checks it) and by anyone re-verifying the evidence.
 */
import type { JsonValue } from '../canonical-json.ts';
import type { ApplicationData, FieldValue } from '../forms/definition.ts';
import { contentDigest } from './payload.ts';

export interface ApplicationContent {
  formId: string;
  formVersion: number;
  /** The answers, as stored. */
  data: ApplicationData;
  /** Upload ids of the attached files, in order. */
  attachments: readonly string[];
}

/** An answer as plain JSON (a repeating group's items are objects of answers). */
function toJson(value: FieldValue): JsonValue {
  if (typeof value !== 'object') return value;
  return (value as readonly (string | ApplicationData)[]).map((v): JsonValue => {
    if (typeof v === 'string') return v;
    const item: { [name: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) item[k] = toJson(x);
    return item;
  });
}

/** `sha256:` + base64url of SHA-256 over the RFC 8785 JSON of `{formId, formVersion, data, attachments}`. */
export function applicationDigest(a: ApplicationContent): Promise<string> {
  // A plain JSON copy: answers may be read-only lists, which canonical JSON reads the same.
  const data: { [name: string]: JsonValue } = {};
  for (const [name, value] of Object.entries(a.data)) data[name] = toJson(value);
  return contentDigest({ formId: a.formId, formVersion: a.formVersion, data, attachments: [...a.attachments] });
}
