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

  .drop-zone.field--error,
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
`;
