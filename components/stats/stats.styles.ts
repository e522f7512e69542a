import { css } from 'lit';

/** `<overa-stats>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  .stats > .status:first-child {
    margin-top: 0;
  }

  .error-summary .retry {
    margin-top: var(--_space);
  }

  .empty p {
    margin: 0;
  }

  .empty .empty-title {
    font-weight: 700;
    margin-bottom: calc(var(--_space) * 0.25);
  }

  /* Charts: one per service, side by side when there is room. */
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
    gap: calc(var(--_space) * 1.5);
    margin-bottom: calc(var(--_space) * 1.5);
  }

  .chart {
    margin: 0;
    min-width: 0;
  }

  .chart-title {
    font-weight: 700;
    margin-bottom: calc(var(--_space) * 0.5);
  }

  /* Its natural size (the width and height attributes), smaller when the box is narrower. */
  .chart-svg {
    display: block;
    max-width: 100%;
    height: auto;
    overflow: visible;
    font-size: 11px;
  }

  .bar {
    fill: var(--_primary);
  }

  .bar--suppressed {
    fill: transparent;
    stroke: var(--_muted);
    stroke-width: 1.5;
    stroke-dasharray: 4 3;
  }

  .bar:hover {
    fill: color-mix(in srgb, var(--_primary) 80%, var(--_text));
  }

  .bar--suppressed:hover {
    fill: color-mix(in srgb, var(--_muted) 15%, transparent);
  }

  .grid {
    stroke: var(--_line);
    stroke-width: 1;
  }

  .axis {
    stroke: var(--_text);
    stroke-width: 1.5;
  }

  .axis-label,
  .month-label,
  .value-label {
    fill: var(--_text);
  }

  .axis-label,
  .month-label {
    fill: var(--_muted);
  }

  .value-label {
    font-weight: 700;
  }

  /* The table: every figure, numbers aligned on the right. */
  .table-wrap {
    overflow-x: auto;
    margin-bottom: var(--_space);
    container-type: inline-size;
  }

  .table-wrap:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }

  /* As wide as the visible part of a table that scrolls sideways (a phone), and it stays put. */
  caption {
    position: sticky;
    left: 0;
    max-width: 100cqi;
    text-align: left;
    font-weight: 700;
    font-size: 1.125rem;
    padding-bottom: calc(var(--_space) * 0.5);
  }

  th,
  td {
    padding: 0.5rem 0.75rem 0.5rem 0;
    border-bottom: 1px solid var(--_line);
    text-align: left;
    vertical-align: top;
  }

  thead th {
    font-size: 0.875rem;
    vertical-align: bottom;
  }

  .num {
    text-align: right;
  }

  tbody th[scope='row'] {
    font-weight: 400;
    white-space: nowrap;
  }

  .group th {
    padding-top: var(--_space);
    font-weight: 700;
  }

  .suppressed {
    color: var(--_muted);
    font-style: italic;
    white-space: nowrap;
  }

  .note {
    max-width: 45em;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .note p {
    margin-bottom: calc(var(--_space) * 0.5);
  }

  .downloads {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5);
    list-style: none;
    margin: var(--_space) 0 0;
    padding: 0;
  }

  a {
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  a:hover {
    text-decoration-thickness: 2px;
  }

  a:focus-visible {
    outline: 3px solid transparent;
    color: #0b0c0c;
    background: var(--_focus);
    box-shadow: 0 -2px var(--_focus), 0 4px #0b0c0c;
    text-decoration: none;
  }
`;
