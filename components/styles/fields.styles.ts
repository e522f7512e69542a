import { css } from 'lit';

/** GOV.UK-style fields (on top of base.styles.ts): a bold label, the control with a thick border, the error bar beside a field at fault. */
export default css`
  form {
    margin: 0;
  }

  /* Fields */
  .field {
    margin-bottom: calc(var(--_space) * 1.5);
  }

  .field--error {
    border-left: 5px solid var(--_danger);
    padding-left: calc(var(--_space) * 0.75);
  }

  label {
    display: block;
    font-weight: 700;
    margin-bottom: calc(var(--_space) * 0.25);
  }

  input,
  textarea,
  select {
    display: block;
    width: 100%;
    max-width: 24em;
    min-height: 2.5rem;
    padding: 0.3rem 0.5rem;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 2px solid var(--_input-border);
    border-radius: var(--_radius);
  }

  input.code {
    max-width: 14em;
    letter-spacing: 0.05em;
    font-variant-numeric: tabular-nums;
  }

  textarea {
    max-width: 36em;
  }

  input[aria-invalid='true'],
  textarea[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  input:focus,
  textarea:focus,
  select:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
    box-shadow: inset 0 0 0 2px var(--_input-border);
  }
`;
