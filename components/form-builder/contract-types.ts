/**
 * The shapes the builder edits, as core declares them (components/core/forms/definition.ts,
 * core/deadlines.ts). The builder once declared them here itself, before pages, groups,
 * prefill, the fee and the deadline were in core; the names stay so the builder's modules and
 * the public `define.ts` types do not change, but every one is core's own type now: what the
 * builder produces is exactly what checkDefinition and the server read.
 */
import type { FieldType, FormDefinition, FormField } from '../core/forms/definition.ts';

export type { DeadlineSpec } from '../core/deadlines.ts';
export { PREFILL_SOURCES } from '../core/forms/definition.ts';
export type { FeeSpec, FormPage, PrefillSource } from '../core/forms/definition.ts';

/** Every field type, the repeating group included. */
export type BuilderFieldType = FieldType;
/** A field: core's FormField (group, prefill and JMBG cross-check keys included). */
export type BuilderField = FormField;
/** The definition the builder edits: core's FormDefinition. */
export type BuilderDefinition = FormDefinition;
