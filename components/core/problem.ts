/**
 * RFC 9457 problem details as Overa's server sends them. The shape is shared so the
 * client can type what it receives and the server what it sends.
 */
export interface FieldError {
  /** JSON pointer-ish path of the field at fault, e.g. "displayName" or "credential.response". */
  field: string;
  /** Machine-readable code, e.g. "required", "tooLong", "invalid". */
  code: string;
  /** Human-readable message (English; elements localize by `code`). */
  message: string;
  /** The rule's parameters where the message has some (`{max: 100}`), so an element can say the same in its language. */
  params?: Readonly<Record<string, string | number>>;
  /** For a refused form definition (`code` "definition"): checkDefinition's code of the rule broken, `params` its values. */
  rule?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Set on validation problems: one entry per field at fault. */
  errors?: FieldError[];
  /** The request id, to quote to support. */
  requestId?: string;
}

export const PROBLEM_TYPE_BASE = 'https://overa.dev/problems/';
