import { css } from 'lit';

/** `<overa-my-applications>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  .root > .status:first-child {
    margin-top: 0;
  }

  .signed-out,
  .empty p {
    margin: 0;
  }

  .empty .empty-title {
    font-weight: 700;
    margin-bottom: calc(var(--_space) * 0.25);
  }

  .results:focus,
  .detail-heading:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 4px;
  }

  .error-summary .retry {
    margin-top: var(--_space);
  }

  /* The list: rows divided by rules, as GOV.UK's summary lists. */
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .row {
    padding: calc(var(--_space) * 0.9) 0;
  }

  .row:first-child {
    padding-top: 0;
  }

  .row + .row {
    border-top: 1px solid var(--_line);
  }

  .row-head {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: calc(var(--_space) * 0.5) var(--_space);
  }

  .row-heading {
    margin: 0;
    font-size: 1.1875rem;
    line-height: 1.3;
    /* Long Serbian titles wrap rather than push the tag off a phone screen. */
    flex: 1 1 16rem;
    min-width: 0;
  }

  /* The opening button reads as a link (GOV.UK accordion), with a disclosure arrow. */
  .row-button {
    position: relative;
    display: inline;
    margin: 0;
    padding: 0 0 0 1.25em;
    border: 0;
    border-radius: 0;
    background: none;
    box-shadow: none;
    color: var(--_link);
    font: inherit;
    font-weight: 700;
    text-align: left;
    text-decoration: underline;
    text-decoration-thickness: 1px;
    text-underline-offset: 0.15em;
    overflow-wrap: anywhere;
  }

  .row-button::before {
    content: '';
    position: absolute;
    left: 0;
    top: 0.3em;
    border-style: solid;
    border-width: 0.4em 0 0.4em 0.7em;
    border-color: transparent transparent transparent currentColor;
  }

  .row-button[aria-expanded='true']::before {
    top: 0.4em;
    border-width: 0.7em 0.4em 0 0.4em;
    border-color: currentColor transparent transparent transparent;
  }

  .row-button:hover {
    text-decoration-thickness: 3px;
  }

  .row-button:focus-visible {
    outline: 3px solid transparent;
    color: #0b0c0c;
    background: var(--_focus);
    box-shadow: 0 -2px var(--_focus), 0 4px #0b0c0c;
    text-decoration: none;
  }

  .row-button:active:not(:disabled) {
    transform: none;
    box-shadow: none;
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_space);
    margin: calc(var(--_space) * 0.35) 0 0 1.25rem;
    color: var(--_muted);
  }

  /* Under the title when the row wraps (phones), in line with the reference and dates. */
  .row-head .tag {
    margin-left: 1.25rem;
  }

  .number {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }

  .more {
    margin-top: var(--_space);
  }

  .more-error {
    margin-top: var(--_space);
  }

  /* The opened application: set in from the row with a rule, as GOV.UK's inset text. */
  .detail {
    margin: var(--_space) 0 calc(var(--_space) * 0.25);
    padding-left: calc(var(--_space) * 0.9);
    border-left: 5px solid var(--_line);
  }

  .detail-heading {
    margin: 0 0 calc(var(--_space) * 0.5);
    font-size: 1.125rem;
    line-height: 1.3;
  }

  .detail .status {
    margin: 0;
  }

  button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: progress;
  }
`;
