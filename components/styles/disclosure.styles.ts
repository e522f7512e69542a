import { css } from 'lit';

/** The native disclosure (`<details>`/`<summary>`) in GOV.UK's style, on top of base.styles.ts. */
export default css`
  /* Native disclosure (details/summary), GOV.UK style */
  details {
    margin-bottom: calc(var(--_space) * 1.5);
  }

  summary {
    display: inline-block;
    cursor: pointer;
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    padding-left: 1.25em;
    position: relative;
  }

  summary::-webkit-details-marker {
    display: none;
  }

  summary::before {
    content: '';
    position: absolute;
    left: 0;
    top: 0.35em;
    border-style: solid;
    border-width: 0.4em 0 0.4em 0.7em;
    border-color: transparent transparent transparent currentColor;
  }

  details[open] > summary::before {
    border-width: 0.7em 0.4em 0 0.4em;
    border-color: currentColor transparent transparent transparent;
    top: 0.45em;
  }

  summary:hover {
    text-decoration-thickness: 2px;
  }

  summary:focus-visible {
    outline: 3px solid transparent;
    color: #0b0c0c;
    background: var(--_focus);
    box-shadow: 0 -2px var(--_focus), 0 4px #0b0c0c;
    text-decoration: none;
  }
`;
