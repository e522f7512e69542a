/**
 * What every Overa element looks like underneath: the public `--overa-*` tokens copied to
 * private ones (with dark-mode defaults), and the GOV.UK-style error summary, hints, buttons
 * and status line. Elements that need them add the sheets next to this one (fields,
 * disclosure, tags, link buttons), then their own.
 */
import { css } from 'lit';

export default css`
  :host {
    /* Public tokens (documented on the class) with their defaults, copied to private ones. */
    --_primary: var(--overa-color-primary, #1d70b8);
    --_danger: var(--overa-color-danger, #d4351c);
    --_radius: var(--overa-radius, 4px);
    --_space: var(--overa-space, 1rem);
    --_focus: var(--overa-color-focus, #ffdd00);
    --_text: var(--overa-color-text, #0b0c0c);
    --_muted: var(--overa-color-muted, #505a5f);
    --_surface: var(--overa-color-surface, #ffffff);
    --_link: var(--overa-color-link, #1d70b8);
    --_line: #b1b4b6;
    --_input-border: #0b0c0c;
    --_secondary-bg: #f3f2f1;
    --_secondary-text: #0b0c0c;
    --_secondary-shadow: #929191;

    display: block;
    box-sizing: border-box;
    /* Unset = inherited from the page, which is what an embedded element should look like. */
    font-family: var(--overa-font-family);
    font-size: 1rem;
    line-height: 1.45;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.25);
    color-scheme: light;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_danger: var(--overa-color-danger, #ff8a7a);
      --_text: var(--overa-color-text, #f3f2f1);
      --_muted: var(--overa-color-muted, #c3c7ca);
      --_surface: var(--overa-color-surface, #1b1f24);
      --_link: var(--overa-color-link, #8fc2f0);
      --_line: #5b6166;
      --_input-border: #c3c7ca;
      --_secondary-bg: #3a4047;
      --_secondary-text: #ffffff;
      --_secondary-shadow: #101214;
      color-scheme: dark;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    margin: 0 !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important;
    border: 0 !important;
    white-space: nowrap !important;
  }

  p {
    margin: 0 0 var(--_space);
  }

  /* Error summary (GOV.UK): a thick border, a heading, links to each field at fault. */
  .error-summary {
    border: 5px solid var(--_danger);
    padding: var(--_space);
    margin-bottom: calc(var(--_space) * 1.5);
  }

  .error-summary:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
  }

  .error-summary h2 {
    margin: 0 0 calc(var(--_space) * 0.75);
    font-size: 1.25rem;
    line-height: 1.3;
  }

  .error-summary ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .error-summary li + li {
    margin-top: calc(var(--_space) * 0.5);
  }

  .error-summary li:last-child,
  .error-summary p:last-child {
    margin-bottom: 0;
  }

  .error-summary a {
    color: var(--_danger);
    font-weight: 700;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  /* "Try again" sits below the words, not against them (their last margin is taken away above). */
  .error-summary > button {
    margin-top: var(--_space);
  }

  .error-summary .reference {
    margin-top: calc(var(--_space) * 0.5);
    color: var(--_muted);
    font-size: 0.875rem;
  }

  /* Hints and error messages (under fields, and wherever a message needs them) */
  .hint {
    color: var(--_muted);
    margin-bottom: calc(var(--_space) * 0.5);
    max-width: 40em;
  }

  .error-message {
    display: block;
    color: var(--_danger);
    font-weight: 700;
    margin: 0 0 calc(var(--_space) * 0.5);
  }

  /* Buttons */
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: center;
  }

  button {
    font: inherit;
    font-weight: 700;
    line-height: 1.2;
    cursor: pointer;
    padding: 0.55rem 0.9rem 0.5rem;
    border: 2px solid transparent;
    border-radius: var(--_radius);
    margin: 0 0 4px;
  }

  .primary {
    color: #ffffff;
    background: var(--_primary);
    box-shadow: 0 2px 0 color-mix(in srgb, var(--_primary) 55%, #000000);
  }

  .primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_primary) 82%, #000000);
  }

  .secondary {
    color: var(--_secondary-text);
    background: var(--_secondary-bg);
    box-shadow: 0 2px 0 var(--_secondary-shadow);
  }

  .secondary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_secondary-bg) 88%, #808080);
  }

  button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
    box-shadow: 0 0 0 6px #0b0c0c;
  }

  button:active:not(:disabled) {
    transform: translateY(2px);
    box-shadow: none;
  }

  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }

  /* Status line: always in the DOM so screen readers hear it change. */
  .status {
    margin: var(--_space) 0 0;
    color: var(--_muted);
  }

  .status:empty {
    margin: 0;
  }

  .status--busy::before {
    content: '';
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    margin-right: 0.5em;
    vertical-align: -0.1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: overa-spin 0.9s linear infinite;
  }

  @keyframes overa-spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .status--busy::before {
      animation: none;
    }
  }
`;
