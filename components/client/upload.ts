import type { StoredUpload } from '../core/api.ts';
import type { OveraClient } from './client.ts';
import { OveraApiError, OveraError, OveraNetworkError, problemFrom } from './errors.ts';

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send in all (the file plus the multipart framing). */
  total: number;
}

export interface UploadOptions {
  /** Called as bytes leave the browser. */
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting cancels the upload (the promise rejects with code `aborted`). */
  signal?: AbortSignal;
  /** The form's own size limit in bytes: the server refuses a larger file early with 413. */
  maxSize?: number;
}

/**
 * Uploads one file with `POST /uploads`. XMLHttpRequest, not fetch: fetch still reports no
 * upload progress in browsers, and a progress bar is what people need on a slow line.
 */
export function uploadFile(client: OveraClient, file: Blob & { name?: string }, options: UploadOptions = {}): Promise<StoredUpload> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new OveraError('aborted', 'The upload was cancelled'));
      return;
    }
    const url = new URL('uploads', client.apiBase);
    if (options.maxSize !== undefined) url.searchParams.set('maxSize', String(options.maxSize));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url.href);
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (client.token) xhr.setRequestHeader('Authorization', `Bearer ${client.token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.({ loaded: e.loaded, total: e.total });
    };
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);
    xhr.onabort = () => {
      done();
      reject(new OveraError('aborted', 'The upload was cancelled'));
    };
    xhr.onerror = () => {
      done();
      reject(new OveraNetworkError(new Error('upload failed')));
    };
    xhr.onload = () => {
      done();
      const body = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === 'object') {
        resolve(body as StoredUpload);
        return;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        reject(new OveraNetworkError(new Error('unreadable upload response')));
        return;
      }
      reject(new OveraApiError(problemFrom(xhr.status, xhr.statusText, body)));
    };
    const form = new FormData();
    form.append('file', file, file.name ?? 'file');
    xhr.send(form);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
