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

  /*
   * The table: every figure, numbers aligned on the right. It fits its column (issue 17, item 8):
   * headers wrap at spaces, the cells take what their longest word needs, and where even that is
   * too wide (a phone) every month becomes a card of label–value lines (below). Nothing scrolls
   * sideways and no column is cut off.
   */
  .table-wrap {
    margin-bottom: var(--_space);
    container: stats-table / inline-size;
  }

  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }

  caption {
    text-align: left;
    font-weight: 700;
    font-size: 1.125rem;
    padding-bottom: calc(var(--_space) * 0.5);
  }

  th,
  td {
    padding: 0.5rem 0.375rem 0.5rem 0;
    border-bottom: 1px solid var(--_line);
    text-align: left;
    vertical-align: top;
  }

  th:last-child,
  td:last-child {
    padding-right: 0;
  }

  thead th {
    font-size: 0.8125rem;
    line-height: 1.25;
    vertical-align: bottom;
  }

  .num {
    text-align: right;
  }

  tbody th[scope='row'] {
    font-weight: 400;
  }

  .group th {
    padding-top: var(--_space);
    font-weight: 700;
  }

  .suppressed {
    color: var(--_muted);
    font-style: italic;
  }

  /* Too narrow for nine columns: each month a card, each figure a line "label … value". */
  @container stats-table (max-width: 40rem) {
    table,
    tbody,
    tr,
    th,
    td {
      display: block;
    }

    caption {
      display: block;
    }

    /* The column headers stay for assistive technology (every cell names its headers); the cards show the labels. */
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    tbody tr:not(.group) {
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--_line);
    }

    th,
    td {
      border-bottom: 0;
      padding: 0;
    }

    .group th {
      padding: var(--_space) 0 0.5rem;
      border-bottom: 1px solid var(--_line);
    }

    tbody th[scope='row'] {
      font-weight: 700;
      margin-bottom: 0.25rem;
    }

    td {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: var(--_space);
      padding: 0.125rem 0;
      white-space: nowrap;
    }

    /* The visible label; alternative text "" so a screen reader hears the header once, from the table. */
    td::before {
      content: attr(data-label) / '';
      text-align: left;
      color: var(--_text);
      font-style: normal;
      white-space: normal;
    }
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
