import type { Problem } from '../core/problem.ts';
import type { OveraClient } from './client.ts';
import { OveraApiError, OveraError, OveraNetworkError } from './errors.ts';

/**
 * The issued PDF of a document (`GET documents/:id/pdf`), as a Blob the caller can save.
 * Not `client.request`: that one reads JSON, and a PDF has to stay bytes. Errors are the
 * client's own: problem+json → OveraApiError, no answer → OveraNetworkError, aborted →
 * OveraError `aborted`.
 */
export async function fetchDocumentPdf(client: OveraClient, documentId: string, signal?: AbortSignal): Promise<Blob> {
  const url = new URL(`documents/${encodeURIComponent(documentId)}/pdf`, client.apiBase).href;
  const headers: Record<string, string> = { Accept: 'application/pdf, application/problem+json' };
  const token = client.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const init: RequestInit = { method: 'GET', headers, mode: 'cors', credentials: 'omit', cache: 'no-store' };
  if (signal) init.signal = signal;

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw new OveraError('aborted', 'The download was aborted', { cause: err });
    throw new OveraNetworkError(err);
  }
  if (response.ok) {
    try {
      return await response.blob();
    } catch (err) {
      // The connection dropped half-way through the body.
      throw new OveraNetworkError(err);
    }
  }
  const problem = await readProblem(response);
  // A dead token: let the client find out through `me()`, which forgets it and tells every
  // element on the page (the session itself is private to the client).
  if (response.status === 401 && token !== null && token === client.token) await client.me().catch(() => null);
  throw new OveraApiError(problem);
}

async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status };
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return fallback;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return fallback;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return fallback;
  const raw = body as Partial<Record<keyof Problem, unknown>>;
  const problem: Problem = {
    type: typeof raw.type === 'string' ? raw.type : fallback.type,
    title: typeof raw.title === 'string' ? raw.title : fallback.title,
    status: typeof raw.status === 'number' ? raw.status : response.status,
  };
  if (typeof raw.detail === 'string') problem.detail = raw.detail;
  if (typeof raw.requestId === 'string') problem.requestId = raw.requestId;
  return problem;
}
