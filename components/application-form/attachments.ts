import type { StoredUpload } from '../core/api.ts';
import type { FormField } from '../core/forms/definition.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import { OveraApiError, OveraError } from '../client/errors.ts';
import { uploadFile } from '../client/upload.ts';
import type { OveraClient } from '../client/client.ts';
import type { FileRules } from './validation.ts';

/** One file in a file field: being uploaded, uploaded, or refused. */
export interface AttachmentItem {
  /** Stable key for rendering and cancelling. */
  readonly key: string;
  readonly name: string;
  readonly size: number;
  state: 'uploading' | 'done' | 'failed';
  /** 0..1 while uploading. */
  progress: number;
  upload?: StoredUpload;
  /** Why it failed: a validator issue (type, size, count) or an error code from the client. */
  issue?: ValidationIssue;
  errorCode?: string;
}

let counter = 0;

/**
 * The attachments of every file field of one form: checks a chosen file against the field's
 * rules before sending a byte (the server checks again, from the bytes), uploads it with
 * progress, and cancels on request. Tells the element to render through `onChange`. The rules
 * come with the validator's chunk (validation.ts), which the element has loaded by the time a
 * file is chosen.
 */
export class Attachments {
  private readonly items = new Map<string, AttachmentItem[]>();
  private readonly controllers = new Map<string, AbortController>();

  constructor(private readonly onChange: () => void) {}

  /** The field's files, in the order chosen. */
  of(field: string): readonly AttachmentItem[] {
    return this.items.get(field) ?? [];
  }

  /** Ids of the field's uploaded files: the field's answer. */
  ids(field: string): string[] {
    return this.of(field).flatMap((i) => (i.state === 'done' && i.upload ? [i.upload.id] : []));
  }

  /** What the validator needs to know about every uploaded file. */
  uploadInfo(): Record<string, { size: number; mediaType: string }> {
    const out: Record<string, { size: number; mediaType: string }> = {};
    for (const list of this.items.values()) for (const i of list) if (i.upload) out[i.upload.id] = { size: i.upload.size, mediaType: i.upload.mediaType };
    return out;
  }

  /** True while any file is still on its way. */
  get busy(): boolean {
    return [...this.items.values()].some((list) => list.some((i) => i.state === 'uploading'));
  }

  /** Files already on the server (a restored draft, a returned application). */
  restore(field: string, uploads: readonly StoredUpload[]): void {
    this.items.set(
      field,
      uploads.map((u) => ({ key: `a${++counter}`, name: u.filename, size: u.size, state: 'done', progress: 1, upload: u })),
    );
  }

  /** Every uploaded file, by field (for the draft store). */
  snapshot(): Record<string, StoredUpload[]> {
    const out: Record<string, StoredUpload[]> = {};
    for (const [field, list] of this.items) {
      const done = list.flatMap((i) => (i.upload ? [i.upload] : []));
      if (done.length) out[field] = done;
    }
    return out;
  }

  /** Checks and uploads the chosen files. Files over the field's count are refused, not silently dropped. */
  add(client: OveraClient, field: FormField, files: readonly File[], rules: FileRules): void {
    const list = [...this.of(field.name)];
    const maxFiles = field.maxFiles ?? 1;
    let room = maxFiles - list.filter((i) => i.state !== 'failed').length;
    // A single-file field replaces its file, as people expect from a file picker.
    if (maxFiles === 1 && files.length > 0) {
      for (const old of list) this.cancel(field.name, old.key, false);
      list.length = 0;
      room = 1;
    }
    for (const file of files) {
      const item: AttachmentItem = { key: `a${++counter}`, name: file.name, size: file.size, state: 'uploading', progress: 0 };
      const refused = rules.check(field, file, room);
      list.push(item);
      if (refused) {
        item.state = 'failed';
        item.issue = refused;
        continue;
      }
      room--;
      this.send(client, field, file, item, rules);
    }
    this.items.set(field.name, list);
    this.onChange();
  }

  /** Stops an upload (or forgets a file): nothing of it stays in the answer. */
  cancel(field: string, key: string, notify = true): void {
    this.controllers.get(key)?.abort();
    this.controllers.delete(key);
    this.items.set(field, this.of(field).filter((i) => i.key !== key));
    if (notify) this.onChange();
  }

  /** Cancels everything in flight (the element is going away). */
  abortAll(): void {
    for (const c of this.controllers.values()) c.abort();
    this.controllers.clear();
  }

  private send(client: OveraClient, field: FormField, file: File, item: AttachmentItem, rules: FileRules): void {
    const controller = new AbortController();
    this.controllers.set(item.key, controller);
    const options = {
      signal: controller.signal,
      onProgress: ({ loaded, total }: { loaded: number; total: number }) => {
        item.progress = total > 0 ? loaded / total : 0;
        this.onChange();
      },
      ...(field.maxSize !== undefined ? { maxSize: field.maxSize } : {}),
    };
    uploadFile(client, file, options).then(
      (upload) => {
        this.controllers.delete(item.key);
        item.state = 'done';
        item.progress = 1;
        item.upload = upload;
        // The server read the bytes: a renamed file is refused here even if its name looked right.
        const refused = rules.typeIssue(field, upload.mediaType);
        if (refused) {
          item.state = 'failed';
          item.issue = refused;
          delete item.upload;
        }
        this.onChange();
      },
      (err: unknown) => {
        this.controllers.delete(item.key);
        if (err instanceof OveraError && err.code === 'aborted') return;
        item.state = 'failed';
        // The server's verdicts on type and size read like the field's own rules.
        if (err instanceof OveraApiError && err.status === 415 && field.accept) {
          item.issue = { field: field.name, code: 'accept', params: { accept: field.accept.join(', ') } };
        } else if (err instanceof OveraApiError && err.status === 413 && field.maxSize !== undefined) {
          item.issue = { field: field.name, code: 'maxSize', params: { max: field.maxSize } };
        } else {
          item.errorCode = err instanceof OveraError ? err.code : 'unknown';
        }
        this.onChange();
      },
    );
  }
}
