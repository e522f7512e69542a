import type { DocumentDetails } from '../core/api.ts';
import type { OveraClient } from './client.ts';

/**
 * The issued PDF of a document (`GET documents/:id/pdf`), as a Blob the caller can save.
 * Errors are the client's own: problem+json → OveraApiError, no answer → OveraNetworkError.
 */
export function fetchDocumentPdf(client: OveraClient, documentId: string, signal?: AbortSignal): Promise<Blob> {
  const options = { as: 'blob' as const, headers: { Accept: 'application/pdf, application/problem+json' } };
  return client.request<Blob>('GET', `documents/${encodeURIComponent(documentId)}/pdf`, signal ? { ...options, signal } : options);
}

/** The PDF of a document a partner agency sent from another server (`GET reception/:id/pdf`, issue 19). */
export function fetchReceivedPdf(client: OveraClient, receptionId: string, signal?: AbortSignal): Promise<Blob> {
  const options = { as: 'blob' as const, headers: { Accept: 'application/pdf, application/problem+json' } };
  return client.request<Blob>('GET', `reception/${encodeURIComponent(receptionId)}/pdf`, signal ? { ...options, signal } : options);
}

/**
 * The genuine PDF of a valid document by its verification code (`GET verify/:code/pdf`,
 * public): what a code check shows and offers, to compare with the document in hand.
 */
export function fetchDocumentPdfByCode(client: OveraClient, code: string, signal?: AbortSignal): Promise<Blob> {
  const options = { as: 'blob' as const, auth: false, headers: { Accept: 'application/pdf, application/problem+json' } };
  return client.request<Blob>('GET', `verify/${encodeURIComponent(code)}/pdf`, signal ? { ...options, signal } : options);
}

/** An issued document's details (`GET documents/:id`): its verification code, status, seal, recipients and history. */
export function getDocument(client: OveraClient, documentId: string, signal?: AbortSignal): Promise<DocumentDetails> {
  return client.request<DocumentDetails>('GET', `documents/${encodeURIComponent(documentId)}`, signal ? { signal } : {});
}

/** Sends a failed exchange message to a partner agency again (`POST documents/:id/exchange/:messageId/retry`, issue 19). */
export function retryExchangeMessage(client: OveraClient, documentId: string, messageId: string): Promise<{ messageId: string; state: string }> {
  return client.request<{ messageId: string; state: string }>('POST', `documents/${encodeURIComponent(documentId)}/exchange/${encodeURIComponent(messageId)}/retry`, { body: {} });
}

