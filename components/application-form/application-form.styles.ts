import { css } from 'lit';

/** `<overa-application-form>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  :host {
    --_success: var(--overa-color-success, #00703c);
  }

  .form-title {
    margin: 0 0 calc(var(--_space) * 0.5);
    font-size: 1.5rem;
    line-height: 1.25;
  }

  .lead {
    max-width: 40em;
    margin-bottom: calc(var(--_space) * 1.5);
  }

  h3 {
    font-size: 1.125rem;
    margin: calc(var(--_space) * 1.5) 0 calc(var(--_space) * 0.5);
  }

  .optional {
    font-weight: 400;
  }

  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }

  legend {
    font-weight: 700;
    padding: 0;
    margin-bottom: calc(var(--_space) * 0.25);
  }

  input.narrow {
    max-width: 14em;
    font-variant-numeric: tabular-nums;
  }

  input.date {
    max-width: 12em;
  }

  /* Radios and checkboxes: large targets, label beside the box. */
  .choice {
    display: grid;
    grid-template-columns: 2rem 1fr;
    align-items: start;
    column-gap: 0.5rem;
    margin-bottom: calc(var(--_space) * 0.5);
  }

  .choice input {
    width: 1.75rem;
    height: 1.75rem;
    min-height: 0;
    margin: 0;
    accent-color: var(--_text);
    cursor: pointer;
  }

  .choice input:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 1px;
  }

  .choice label {
    font-weight: 400;
    margin: 0;
    padding-top: 0.15rem;
    cursor: pointer;
  }

  .choice-hint {
    grid-column: 2;
    margin: 0;
  }

  /* Banners: a saved draft, a returned application, a sign-in notice. */
  .banner,
  .notice {
    border: 5px solid var(--_primary);
    padding: var(--_space);
    margin-bottom: calc(var(--_space) * 1.5);
  }

  .banner h3 {
    margin-top: 0;
  }

  .banner--returned {
    border-color: var(--_danger);
  }

  .comment {
    margin: 0 0 var(--_space);
    padding: calc(var(--_space) * 0.5) var(--_space);
    border-left: 5px solid var(--_line);
    font-size: 1.125rem;
    white-space: pre-wrap;
  }

  .notice {
    border-width: 0 0 0 5px;
    border-color: var(--_line);
  }

  .notice overa-account {
    margin-top: var(--_space);
  }

  .autosave-note {
    margin-top: var(--_space);
    font-size: 0.875rem;
  }
`;
