/**
 * What an official's passkey signature on a decision covers. The signing payload's subject is
 * `{type: "decision", id: decisionSubjectId(applicationId, stepId)}` and its action is the
 * decision; its digest is over the application content as it was decided (the same content
 * digest the applicant's own signature covers), the step, the decision and the comment. So an
 * assertion made to agree with one text cannot approve another, or carry another comment.
 * Shared by the server (which builds and checks it) and by anyone re-verifying the evidence.
 */
import { contentDigest } from './payload.ts';

/** What an official can decide on a step: review / agree / approve pass it on; return and reject end the round. */
export const DECISIONS = ['review', 'agree', 'approve', 'return', 'reject'] as const;

export type DecisionKind = (typeof DECISIONS)[number];

/** The signing subject id of a decision on a step: known before the decision exists. */
export function decisionSubjectId(applicationId: string, stepId: string): string {
  return `${applicationId}:${stepId}`;
}

export interface DecisionContent {
  /** The application's content digest (`sha256:`…) at the time of the decision. */
  application: string;
  /** The approval step's id. */
  step: string;
  decision: DecisionKind;
  /** The comment as sent, trimmed; '' for none. */
  comment: string;
}

/** `sha256:` + base64url of SHA-256 over the RFC 8785 JSON of `{application, step, decision, comment}`. */
export function decisionDigest(content: DecisionContent): Promise<string> {
  return contentDigest({ application: content.application, step: content.step, decision: content.decision, comment: content.comment });
}
