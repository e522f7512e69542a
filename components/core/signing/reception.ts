/**
 * What a receiving official's passkey signature on a reception covers. A document distributed
 * to another agency is a *reception* in that agency's inbox; its official acknowledges receipt
 * by signing `{type: "reception", id: <reception id>}` with action `accept`, over the digest of
 * the document's id, the SHA-256 of its PDF and the receiving agency. So an acknowledgement of
 * one PDF cannot stand for another, nor for another agency's copy.
 * Shared by the server (which builds and checks it) and by anyone re-verifying the evidence.
 */
import { contentDigest } from './payload.ts';

/**
 * The actions on a reception: acknowledging receipt, and (only for a document a partner agency
 * sent from another server, issue 19) refusing it with a reason.
 */
export const RECEPTION_ACTIONS = ['accept', 'reject'] as const;

export type ReceptionAction = (typeof RECEPTION_ACTIONS)[number];

export interface ReceptionContent {
  /** The issued document's id. */
  documentId: string;
  /** Hex SHA-256 of the document's PDF, as issued (what `GET documents/:id` calls `sha256`). */
  documentSha256: string;
  /** The receiving agency's id. */
  agencyId: string;
}

/** `sha256:` + base64url of SHA-256 over the RFC 8785 JSON of `{documentId, documentSha256, agencyId}`. */
export function receptionDigest(content: ReceptionContent): Promise<string> {
  return contentDigest({ documentId: content.documentId, documentSha256: content.documentSha256, agencyId: content.agencyId });
}

/**
 * A rejection's digest: the same content, the action and the reason (trimmed), so a signed
 * rejection cannot be shown with another reason, nor stand for an acceptance.
 */
export function receptionRejectionDigest(content: ReceptionContent, reason: string): Promise<string> {
  return contentDigest({ documentId: content.documentId, documentSha256: content.documentSha256, agencyId: content.agencyId, action: 'reject', reason });
}
