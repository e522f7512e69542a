import { css } from 'lit';

/** `<overa-verify>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  :host {
    --_success: var(--overa-color-success, #00703c);
    --_warning: var(--overa-color-warning, #f47738);
  }

  h2 {
    margin: 0 0 0.5rem;
    font-size: 1.5rem;
  }

  h3 {
    margin: 0 0 0.5rem;
    font-size: 1.125rem;
  }

  h4 {
    margin: var(--_space) 0 0.5rem;
  }

  .lead {
    max-width: 40em;
  }

  .ways {
    display: grid;
    gap: var(--_space);
    grid-template-columns: repeat(auto-fit, minmax(16em, 1fr));
  }

  .drop-zone,
  .code-form {
    padding: var(--_space);
    border: 2px dashed var(--_line);
    border-radius: var(--_radius);
  }

  .code-form {
    border-style: solid;
    /* The code field's letters size to this box (cqi below), so the whole code shows on a phone. */
    container-type: inline-size;
  }

  .code-form.field--error {
    border-color: var(--_danger);
  }

  .drop-zone.dropping {
    border-color: var(--_primary);
    background: color-mix(in srgb, var(--_primary) 8%, transparent);
  }

  .drop-zone progress {
    display: block;
    width: 100%;
    margin-top: 0.5rem;
    accent-color: var(--_primary);
  }

  /*
   * Wide enough for the whole grouped code (24 characters, monospaced so a W takes no more
   * room than a 3); in a box narrower than that (a phone), the letters shrink with the box
   * rather than scroll out of sight.
   */
  input.code {
    max-width: 100%;
    width: calc(24ch + 3em);
    font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    font-size: clamp(0.75rem, 5.2cqi, 1rem);
    margin-bottom: 0.75rem;
    text-transform: uppercase;
    letter-spacing: 0.05em;
    font-variant-numeric: tabular-nums;
  }

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
