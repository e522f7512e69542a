/**
 * The form definition as the builder edits it: today's core FormDefinition plus the keys that
 * other helpers of issue 21 add to core in parallel (pages, repeating groups, prefill and JMBG
 * cross-checks, fee, deadline), declared HERE exactly as the shared contract
 * (_notes/CONTRACTS.md, "Form definition extensions") gives them, so the builder can offer
 * their editors before they are merged.
 *
 * MERGE NOTE for the lead: once pages/groups/prefill (`pg`), `fee` (`fee`) and `deadline`
 * (`dl`) are in components/core/forms/definition.ts, replace every declaration below with a
 * re-export of the core types (FormPage, FeeSpec, the group keys on FormField, FormDefinition)
 * and delete the local ones; nothing else in the builder names these shapes directly.
 */
import type { DeadlineSpec } from '../core/deadlines.ts';
import type { FieldType, FormDefinition, FormField, LocalizedText, When } from '../core/forms/definition.ts';

export type { DeadlineSpec };

/** CONTRACTS.md: a page of a multi-page form (owner `pg`). */
export interface FormPage {
  /** A slug, unique in the form; used in the URL/history state. */
  readonly id: string;
  readonly title: LocalizedText;
  readonly description?: LocalizedText;
  /** Names of TOP-LEVEL fields of `fields`, in order; every field is on exactly one page when pages are given. */
  readonly fields: readonly string[];
  /** The whole page (and its fields) is shown only when it holds. */
  readonly when?: When;
}

/** CONTRACTS.md: where a prefilled answer comes from (owner `pg`). */
export const PREFILL_SOURCES = ['displayName', 'givenName', 'familyName', 'email'] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

/** CONTRACTS.md: the new field type of a repeating group (owner `pg`). */
export type BuilderFieldType = FieldType | 'group';

/** A field with the contract's group, prefill and JMBG cross-check keys (owner `pg`). */
export interface BuilderField extends Omit<FormField, 'type'> {
  readonly type: BuilderFieldType;
  /** group only: the questions of ONE item (no nested groups). */
  readonly fields?: readonly BuilderField[];
  /** group only: default 0 (1 if required). */
  readonly minItems?: number;
  /** group only: default 20. */
  readonly maxItems?: number;
  /** group only: "Co-owner" → errors "Co-owner 2: enter the JMBG". */
  readonly itemLabel?: LocalizedText;
  readonly prefill?: PrefillSource;
  /** On a date field (birth date) or a select/radio with options 'male'|'female' (sex): the JMBG field it must agree with. */
  readonly matchesJmbg?: string;
}

/** CONTRACTS.md: an administrative fee (owner `fee`). */
export interface FeeSpec {
  /** Dinars, > 0, at most 2 decimals. */
  readonly amount: number;
  /** Account 18 digits or 840-955845-10 form. */
  readonly payee: { readonly name: string; readonly account: string; readonly address?: string };
  /** 3 digits, e.g. '253'. */
  readonly paymentCode: string;
  /** Svrha plaćanja. */
  readonly purpose: LocalizedText;
  /** Default false: the approval line waits until an official marks it paid. */
  readonly requiredBeforeApproval?: boolean;
}

/** The definition the builder edits: core's, with the contract's keys. */
export interface BuilderDefinition extends Omit<FormDefinition, 'fields'> {
  readonly fields: readonly BuilderField[];
  readonly pages?: readonly FormPage[];
  readonly fee?: FeeSpec;
  readonly deadline?: DeadlineSpec;
}
