import { css } from 'lit';

/** A button that reads as a link (Change, Remove, Close), on top of base.styles.ts. */
export default css`
  /* A button that reads as a link (Change, Remove, Show): GOV.UK's link focus style. */
  .link-button {
    background: none;
    border: 0;
    box-shadow: none;
    padding: 0;
    margin: 0;
    color: var(--_link);
    font-weight: 400;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .link-button:focus-visible {
    color: #0b0c0c;
    background: var(--_focus);
    box-shadow: 0 -2px var(--_focus), 0 4px #0b0c0c;
    text-decoration: none;
    outline: 3px solid transparent;
  }

  .link-button:active:not(:disabled) {
    transform: none;
  }
`;
