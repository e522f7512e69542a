import { css } from 'lit';

/** `<overa-sign>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  :host {
    --_success: var(--overa-color-success, #00703c);
  }

  .box h3 {
    margin: 0 0 calc(var(--_space) * 0.75);
    font-size: 1.25rem;
  }

  .what {
    border-left: 5px solid var(--_line);
    padding-left: var(--_space);
    margin-bottom: calc(var(--_space) * 1.25);
  }

  .label {
    font-weight: 700;
  }

  .fingerprint {
    font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    font-size: 1.125rem;
    letter-spacing: 0.05em;
    padding: 0.1em 0.3em;
    background: var(--_secondary-bg);
    border-radius: var(--_radius);
    white-space: nowrap;
  }

  .fingerprint-row {
    margin-bottom: calc(var(--_space) * 0.25);
  }

  .calm {
    color: var(--_text);
    border-left: 5px solid var(--_primary);
    padding-left: var(--_space);
  }

  .signed {
    border-left: 5px solid var(--_success);
    padding-left: var(--_space);
    color: var(--_success);
  }

  .signed:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 4px;
  }

  .signed p {
    margin: 0;
  }

  .sign-in overa-account {
    margin-top: calc(var(--_space) * 0.5);
  }
`;
