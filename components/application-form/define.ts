import { OveraApplicationForm, type OveraInvalidDetail, type OveraSubmittedDetail } from './application-form.ts';

export { OveraApplicationForm };
export type { OveraSubmittedDetail, OveraInvalidDetail, OveraApplicationFormStep } from './application-form.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-application-form')) customElements.define('overa-application-form', OveraApplicationForm);

declare global {
  interface HTMLElementTagNameMap {
    'overa-application-form': OveraApplicationForm;
  }
  interface GlobalEventHandlersEventMap {
    'overa-submitted': CustomEvent<OveraSubmittedDetail>;
    'overa-invalid': CustomEvent<OveraInvalidDetail>;
  }
}
