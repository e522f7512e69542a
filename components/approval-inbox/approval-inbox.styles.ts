import { css } from 'lit';

/** `<overa-approval-inbox>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  :host {
    --_success: var(--overa-color-success, #00703c);
    /* Its own width decides the layout (two panes or one), not the window's. */
    container-type: inline-size;
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5rem var(--_space);
    margin-bottom: var(--_space);
  }

  h2 {
    margin: 0;
    font-size: 1.5rem;
  }

  h3 {
    font-size: 1.25rem;
    margin: 0 0 0.5rem;
  }

  h4 {
    font-size: 1.0625rem;
    margin: calc(var(--_space) * 1.5) 0 0.5rem;
  }

  .unread-count {
    padding: 0.1rem 0.6rem;
    border-radius: 1rem;
    background: var(--_primary);
    color: #ffffff;
    font-weight: 700;
  }

  .muted,
  .notice-text {
    color: var(--_muted);
  }

  /* Filters: a row that wraps. */
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem var(--_space);
    align-items: end;
    padding-bottom: var(--_space);
    margin-bottom: var(--_space);
    border-bottom: 1px solid var(--_line);
  }

  /* A filter may shrink below its content (a long service name) rather than widen the element. */
  .filter {
    min-width: 0;
    max-width: 100%;
  }

  .filter label {
    font-weight: 700;
    font-size: 0.9375rem;
  }

  .filter input,
  .filter select {
    width: auto;
    min-width: 9em;
    max-width: 100%;
    min-height: 2.25rem;
    padding: 0.2rem 0.4rem;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 2px solid var(--_input-border);
    border-radius: var(--_radius);
  }

  .filter select:focus,
  .filter input:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
  }

  .filter--q {
    flex: 1 1 14em;
  }

  .filter--q input {
    width: 100%;
  }

  .filter--actions button {
    margin: 0;
  }

  /* Two panes when there is room, one below the other when there is not (phones). */
  .panes {
    display: grid;
    gap: var(--_space);
  }

  @container (min-width: 52em) {
    .panes--open {
      grid-template-columns: minmax(16em, 2fr) 3fr;
      align-items: start;
    }
  }

  .cases {
    list-style: none;
    margin: 0;
    padding: 0;
    border-top: 1px solid var(--_line);
  }

  .case {
    border-bottom: 1px solid var(--_line);
  }

  .case-button {
    display: grid;
    gap: 0.2rem;
    width: 100%;
    margin: 0;
    padding: 0.6rem 0.5rem;
    text-align: left;
    font-weight: 400;
    color: var(--_text);
    background: transparent;
    border: 0;
    border-left: 5px solid transparent;
    border-radius: 0;
    box-shadow: none;
  }

  .case-button:hover {
    background: var(--_secondary-bg);
  }

  .case--open .case-button {
    border-left-color: var(--_primary);
    background: var(--_secondary-bg);
  }

  .case-button:active {
    transform: none;
  }

  .case-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.6rem;
  }

  .case-number {
    font-variant-numeric: tabular-nums;
  }

  .case-title {
    font-weight: 700;
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .case-meta {
    color: var(--_muted);
    font-size: 0.9375rem;
  }

  .due {
    font-size: 0.9375rem;
    color: var(--_muted);
  }

  /* Words carry the meaning ("overdue by 2 days"); colour and weight only repeat it. */
  .due--due-soon .due-standing {
    font-weight: 700;
    color: var(--_text);
  }

  .due--overdue .due-standing {
    font-weight: 700;
    color: var(--_danger);
  }

  .detail-due {
    margin: 0 0 calc(var(--_space) * 0.5);
  }

  .yours,
  .awaiting-fee {
    justify-self: start;
    font-weight: 700;
    font-size: 0.9375rem;
    padding: 0 0.4rem;
    border-left: 4px solid var(--_primary);
  }

  .awaiting-fee {
    border-left-color: #b58800;
  }

  .dot {
    width: 0.65rem;
    height: 0.65rem;
    border-radius: 50%;
    background: var(--_primary);
  }

  .more,
  .new-cases {
    margin-top: var(--_space);
  }

  .empty {
    color: var(--_muted);
    padding: var(--_space) 0;
  }

  /* The open case. */
  .detail {
    position: relative;
    padding: var(--_space);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }

  .detail-top {
    display: flex;
    align-items: flex-start;
    justify-content: flex-end;
    gap: var(--_space);
    margin-bottom: calc(var(--_space) * 0.75);
  }

  .detail-heading {
    flex: 1;
    margin: 0;
  }

  .detail-heading:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 4px;
  }

  .close {
    flex: none;
  }

  .detail > :last-child {
    margin-bottom: 0;
  }

  /* Requests / received documents: a pair of toggle buttons. */
  .tabs {
    display: flex;
    gap: 0.25rem;
    margin-bottom: var(--_space);
    border-bottom: 1px solid var(--_line);
  }

  .tab {
    margin: 0;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: transparent;
    color: var(--_link);
    box-shadow: none;
    border: 1px solid transparent;
    border-bottom: 0;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .tab[aria-pressed='true'] {
    color: var(--_text);
    background: var(--_surface);
    border-color: var(--_line);
    text-decoration: none;
    margin-bottom: -1px;
  }

  /* A tracking number is read as one word: never broken at its hyphens. */
  .nowrap {
    white-space: nowrap;
  }
`;
