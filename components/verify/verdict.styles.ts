import { css } from 'lit';

/** The verdict and its details (loaded with their chunk), on top of verify.styles.ts. */
export default css`
  /* The verdict: a symbol, a colour and words — never colour alone. */
  .verdict {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: var(--_space);
    align-items: start;
    padding: var(--_space);
    margin-bottom: var(--_space);
    border: 5px solid currentColor;
    border-radius: var(--_radius);
  }

  .verdict:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  .verdict h3 {
    font-size: 1.375rem;
    color: var(--_text);
  }

  .verdict p {
    margin: 0;
    color: var(--_text);
  }

  .verdict p + p {
    margin-top: calc(var(--_space) / 2);
  }

  .verdict p.verdict-symbol {
    color: inherit;
  }

  .verdict-symbol {
    display: grid;
    place-items: center;
    width: 2.75rem;
    height: 2.75rem;
    border-radius: 50%;
    border: 3px solid currentColor;
    font-size: 1.75rem;
    font-weight: 700;
    line-height: 1;
  }

  .verdict--valid {
    color: var(--_success);
  }

  .verdict--invalid {
    color: var(--_danger);
  }

  .verdict--unconfirmed {
    color: var(--_warning);
  }

  .details {
    margin-bottom: var(--_space);
  }

  .facts {
    margin: 0.75rem 0 0;
  }

  .facts div {
    display: grid;
    grid-template-columns: minmax(8em, 35%) 1fr;
    gap: var(--_space);
    padding: 0.35rem 0;
    border-bottom: 1px solid var(--_line);
  }

  .facts dt {
    font-weight: 700;
  }

  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .signatures {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .signature {
    padding: 0.5rem 0 0.5rem 0.75rem;
    border-left: 5px solid var(--_line);
    margin-bottom: 0.5rem;
  }

  .signature p {
    margin: 0;
  }

  .signature--valid {
    border-left-color: var(--_success);
  }

  .signature--invalid {
    border-left-color: var(--_danger);
  }

  .signature--unconfirmed {
    border-left-color: var(--_warning);
  }

  .sig-state {
    color: var(--_muted);
  }

  .reasons {
    margin: 0.25rem 0 0;
    padding-left: 1.25rem;
  }
`;
