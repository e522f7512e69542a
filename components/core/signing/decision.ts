/**
 * What an official's passkey signature on a decision covers. The signing payload's subject is
 * `{type: "decision", id: decisionSubjectId(applicationId, stepId)}` and its action is the
 * decision; its digest is over the application content as it was decided (the same content
 * digest the applicant's own signature covers), the step, the decision, the comment and, when
 * the official decides in someone else's stead, the mandate. So an assertion made to agree with
 * one text cannot approve another, carry another comment, or claim another mandate.
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

/**
 * Deciding in someone else's stead: by delegation (a role the form allows to approve for the
 * step's holder) or as the proxy of an absent official. `user` and `name` name the person acted
 * for, `role` the role (a delegated approval of a role's step); as the decision records them.
 */
export interface DecisionMandate {
  basis: 'delegated' | 'proxy';
  user?: string;
  name?: string;
  role?: string;
}

export interface DecisionContent {
  /** The application's content digest (`sha256:`…) at the time of the decision. */
  application: string;
  /** The approval step's id. */
  step: string;
  decision: DecisionKind;
  /** The comment as sent, trimmed; '' for none. */
  comment: string;
  /** Absent when the step is the official's own (and then the digest is as it always was). */
  mandate?: DecisionMandate;
}

/** The mandate of a decision by its recorded basis (`assigned` and unknown bases: none). */
export function decisionMandate(
  basis: string | null | undefined,
  onBehalfOf: { user?: string | null; name?: string | null; role?: string | null },
): DecisionMandate | undefined {
  if (basis !== 'delegated' && basis !== 'proxy') return undefined;
  const mandate: DecisionMandate = { basis };
  if (onBehalfOf.user) mandate.user = onBehalfOf.user;
  if (onBehalfOf.name) mandate.name = onBehalfOf.name;
  if (onBehalfOf.role) mandate.role = onBehalfOf.role;
  return mandate;
}

/** `sha256:` + base64url of SHA-256 over the RFC 8785 JSON of `{application, step, decision, comment, mandate?}`. */
export function decisionDigest(content: DecisionContent): Promise<string> {
  const { application, step, decision, comment, mandate } = content;
  return contentDigest(mandate ? { application, step, decision, comment, mandate: { ...mandate } } : { application, step, decision, comment });
}
