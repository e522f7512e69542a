import { OveraMyApplications, type OveraApplicationSelectedDetail } from './my-applications.ts';

export { OveraMyApplications };
export type { OveraApplicationSelectedDetail, OveraMyApplicationsState } from './my-applications.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-my-applications')) customElements.define('overa-my-applications', OveraMyApplications);

declare global {
  interface HTMLElementTagNameMap {
    'overa-my-applications': OveraMyApplications;
  }
  interface GlobalEventHandlersEventMap {
    'overa-application-selected': CustomEvent<OveraApplicationSelectedDetail>;
  }
}
