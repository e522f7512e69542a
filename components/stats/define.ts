import { OveraStats, type OveraStatsLoadedDetail } from './stats.ts';

export { OveraStats };
export type { OveraStatsLoadedDetail, OveraStatsState } from './stats.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-stats')) customElements.define('overa-stats', OveraStats);

declare global {
  interface HTMLElementTagNameMap {
    'overa-stats': OveraStats;
  }
  interface GlobalEventHandlersEventMap {
    'overa-stats-loaded': CustomEvent<OveraStatsLoadedDetail>;
  }
}
