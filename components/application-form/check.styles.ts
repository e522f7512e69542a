import { css } from 'lit';

/** Check your answers, signing and the receipt (loaded with their chunk), on top of application-form.styles.ts. */
export default css`
  /* Check your answers: the GOV.UK summary list. */
  .check h2:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 4px;
  }

  .summary-list {
    margin: 0 0 calc(var(--_space) * 2);
  }

  .summary-row {
    display: grid;
    grid-template-columns: minmax(8em, 30%) 1fr auto;
    gap: 0.5rem var(--_space);
    padding: 0.6rem 0;
    border-bottom: 1px solid var(--_line);
  }

  .summary-row dt {
    font-weight: 700;
  }

  .summary-row dd {
    margin: 0;
    overflow-wrap: break-word;
  }

  /* Keep the person's own line breaks (a textarea's answer). */
  .summary-row .answer {
    white-space: pre-line;
  }

  .summary-action {
    text-align: right;
  }

  .summary-action .link-button {
    margin: 0;
  }

  /* Forms with pages: the answers under each page's title. */
  .summary-section {
    margin: calc(var(--_space) * 1.5) 0 0.5rem;
    font-size: 1.125rem;
  }

  /* A repeating group: item by item, each item's answers as "question answer" lines. */
  .group-answers li + li {
    margin-top: 0.75rem;
  }

  .item-answers {
    margin: 0.25rem 0 0;
    white-space: normal;
  }

  .item-answers dt {
    display: inline;
    color: var(--_muted, inherit);
  }

  .item-answers dt::after {
    content: ':';
  }

  .item-answers dd {
    display: inline;
    margin: 0;
  }

  ul.plain,
  ol.plain {
    list-style: none;
    margin: 0;
    padding: 0;
    white-space: normal;
  }

  @media (max-width: 40em) {
    .summary-row {
      grid-template-columns: 1fr auto;
    }

    .summary-row dd:not(.summary-action) {
      grid-column: 1 / -1;
      grid-row: 2;
    }

    .summary-action {
      grid-row: 1;
      grid-column: 2;
    }
  }

  .after-sign {
    margin-top: var(--_space);
  }

  /* The receipt: GOV.UK's confirmation panel. */
  .receipt {
    background: var(--_success);
    color: #ffffff;
    text-align: center;
    padding: calc(var(--_space) * 1.75);
    margin-bottom: calc(var(--_space) * 1.5);
    /* The tracking number sizes to this box (cqi below), so it stays on one line on a phone. */
    container-type: inline-size;
  }

  .receipt:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
  }

  .receipt h2 {
    margin: 0 0 var(--_space);
    font-size: 2rem;
    line-height: 1.2;
  }

  .receipt p {
    margin: 0;
    font-size: 1.25rem;
  }

  .tracking {
    display: inline-block;
    margin-top: 0.25rem;
    font-size: clamp(1.125rem, 8.5cqi, 1.75rem);
    white-space: nowrap;
    letter-spacing: 0.05em;
    font-variant-numeric: tabular-nums;
  }
`;
