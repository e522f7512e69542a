import { OveraFormBuilder, type OveraFormPublishedDetail, type OveraFormSavedDetail } from './form-builder.ts';

export { OveraFormBuilder };
export type { OveraFormSavedDetail, OveraFormPublishedDetail } from './form-builder.ts';
export type { BuilderDefinition, BuilderField, FormPage, FeeSpec } from './contract-types.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-form-builder')) customElements.define('overa-form-builder', OveraFormBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'overa-form-builder': OveraFormBuilder;
  }
  interface GlobalEventHandlersEventMap {
    'overa-form-saved': CustomEvent<OveraFormSavedDetail>;
    'overa-form-published': CustomEvent<OveraFormPublishedDetail>;
  }
}
