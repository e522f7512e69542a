import { css } from 'lit';

/** `<overa-approval-inbox>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  :host {
    --_success: var(--overa-color-success, #00703c);
    /* Its own width decides the layout (two panes or one), not the window's. */
    container-type: inline-size;
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5rem var(--_space);
    margin-bottom: var(--_space);
  }

  h2 {
    margin: 0;
    font-size: 1.5rem;
  }

  h3 {
    font-size: 1.25rem;
    margin: 0 0 0.5rem;
  }

  h4 {
    font-size: 1.0625rem;
    margin: calc(var(--_space) * 1.5) 0 0.5rem;
  }

  .unread-count {
    padding: 0.1rem 0.6rem;
    border-radius: 1rem;
    background: var(--_primary);
    color: #ffffff;
    font-weight: 700;
  }

  .muted,
  .notice-text {
    color: var(--_muted);
  }

  /* Filters: a row that wraps. */
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem var(--_space);
    align-items: end;
    padding-bottom: var(--_space);
    margin-bottom: var(--_space);
    border-bottom: 1px solid var(--_line);
  }

  /* A filter may shrink below its content (a long service name) rather than widen the element. */
  .filter {
    min-width: 0;
    max-width: 100%;
  }

  .filter label {
    font-weight: 700;
    font-size: 0.9375rem;
  }

  .filter input,
  .filter select {
    width: auto;
    min-width: 9em;
    max-width: 100%;
    min-height: 2.25rem;
    padding: 0.2rem 0.4rem;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 2px solid var(--_input-border);
    border-radius: var(--_radius);
  }

  .filter select:focus,
  .filter input:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
  }

  .filter--q {
    flex: 1 1 14em;
  }

  .filter--q input {
    width: 100%;
  }

  .filter--actions button {
    margin: 0;
  }

  /* Two panes when there is room, one below the other when there is not (phones). */
  .panes {
    display: grid;
    gap: var(--_space);
  }

  @container (min-width: 52em) {
    .panes--open {
      grid-template-columns: minmax(16em, 2fr) 3fr;
      align-items: start;
    }
  }

  .cases {
    list-style: none;
    margin: 0;
    padding: 0;
    border-top: 1px solid var(--_line);
  }

  .case {
    border-bottom: 1px solid var(--_line);
  }

  .case-button {
    display: grid;
    gap: 0.2rem;
    width: 100%;
    margin: 0;
    padding: 0.6rem 0.5rem;
    text-align: left;
    font-weight: 400;
    color: var(--_text);
    background: transparent;
    border: 0;
    border-left: 5px solid transparent;
    border-radius: 0;
    box-shadow: none;
  }

  .case-button:hover {
    background: var(--_secondary-bg);
  }

  .case--open .case-button {
    border-left-color: var(--_primary);
    background: var(--_secondary-bg);
  }

  .case-button:active {
    transform: none;
  }

  .case-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.6rem;
  }

  .case-number {
    font-variant-numeric: tabular-nums;
  }

  .case-title {
    font-weight: 700;
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .case-meta {
    color: var(--_muted);
    font-size: 0.9375rem;
  }

  .yours {
    justify-self: start;
    font-weight: 700;
    font-size: 0.9375rem;
    padding: 0 0.4rem;
    border-left: 4px solid var(--_primary);
  }

  .dot {
    width: 0.65rem;
    height: 0.65rem;
    border-radius: 50%;
    background: var(--_primary);
  }

  .more,
  .new-cases {
    margin-top: var(--_space);
  }

  .empty {
    color: var(--_muted);
    padding: var(--_space) 0;
  }

  /* The open case. */
  .detail {
    position: relative;
    padding: var(--_space);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }

  .detail-top {
    display: flex;
    align-items: flex-start;
    justify-content: flex-end;
    gap: var(--_space);
    margin-bottom: calc(var(--_space) * 0.75);
  }

  .detail-heading {
    flex: 1;
    margin: 0;
  }

  .detail-heading:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 4px;
  }

  .close {
    flex: none;
  }

  .detail > :last-child {
    margin-bottom: 0;
  }

  .case-facts {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
  }

  .comment {
    margin: 0.5rem 0;
    padding: 0.4rem 0.8rem;
    border-left: 5px solid var(--_line);
    white-space: pre-line;
  }

  /* The approval line as a vertical stepper. */
  .stepper {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .step {
    display: grid;
    grid-template-columns: 2rem 1fr;
    gap: 0.5rem;
    position: relative;
    padding-bottom: 0.75rem;
  }

  .step:not(:last-child)::before {
    content: '';
    position: absolute;
    left: calc(1rem - 1px);
    top: 2rem;
    bottom: 0;
    border-left: 2px solid var(--_line);
  }

  .step-icon {
    display: grid;
    place-items: center;
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    border: 2px solid var(--_line);
    color: var(--_muted);
    font-weight: 700;
    background: var(--_surface);
  }

  .step--done .step-icon {
    background: var(--_success);
    border-color: var(--_success);
    color: #ffffff;
  }

  .step--pending .step-icon {
    border-color: var(--_primary);
    color: var(--_primary);
  }

  /* A returned step: the colours of the "Changes needed" tag; a rejected one: danger. */
  .step--returned .step-icon {
    background: #fcd6c3;
    border-color: #6e3619;
    color: #6e3619;
  }

  .step--rejected .step-icon {
    background: var(--_danger);
    border-color: var(--_danger);
    color: #ffffff;
  }

  .step-body p {
    margin: 0 0 0.15rem;
  }

  .step-state {
    color: var(--_muted);
    font-size: 0.9375rem;
  }

  .mark {
    display: inline-block;
    font-size: 0.9375rem;
    font-weight: 700;
    padding: 0 0.4rem;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
  }

  /* Deciding. */
  .decision {
    margin: var(--_space) 0;
    padding: var(--_space);
    border: 3px solid var(--_primary);
    border-radius: var(--_radius);
  }

  .decision-step + .decision-step {
    margin-top: var(--_space);
  }

  .decision-for {
    font-weight: 700;
  }

  /* Nothing to do here but read why: not the call to action of a decision. */
  .decision--refused {
    border-width: 0 0 0 5px;
    border-color: var(--_muted);
  }

  .refusal {
    margin: 0;
  }

  .refusal + .decision-step {
    margin-top: var(--_space);
  }

  .decision .actions button {
    margin: 0;
  }

  .decision-form {
    margin-top: var(--_space);
  }

  .decision-form textarea {
    display: block;
    width: 100%;
    font: inherit;
    padding: 0.3rem 0.5rem;
    color: var(--_text);
    background: var(--_surface);
    border: 2px solid var(--_input-border);
    border-radius: var(--_radius);
  }

  .decision-form textarea:focus {
    outline: 3px solid var(--_focus);
  }

  .decision overa-sign {
    margin: var(--_space) 0;
  }

  .optional {
    font-weight: 400;
  }

  /* Answers and attachments. */
  .answers {
    margin: 0;
  }

  .answer-row {
    display: grid;
    grid-template-columns: minmax(8em, 35%) 1fr;
    gap: 0.25rem var(--_space);
    padding: 0.4rem 0;
    border-bottom: 1px solid var(--_line);
  }

  .answer-row dt {
    font-weight: 700;
  }

  .answer-row dd {
    margin: 0;
    overflow-wrap: break-word;
    white-space: pre-line;
  }

  @container (max-width: 30em) {
    .answer-row {
      grid-template-columns: 1fr;
    }
  }

  .attachments {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .attachment {
    padding: 0.4rem 0;
    border-bottom: 1px solid var(--_line);
  }

  .file-name {
    font-weight: 700;
    overflow-wrap: anywhere;
  }

  .preview {
    display: block;
    margin-top: 0.5rem;
    max-width: 100%;
    border: 1px solid var(--_line);
  }

  .preview--pdf {
    width: 100%;
    height: 28rem;
  }

  .error-text {
    color: var(--_danger);
    font-weight: 700;
  }

  .attachment .link-button {
    margin-left: 0.5rem;
  }

  .history {
    margin-top: var(--_space);
  }

  .plain-list {
    margin: 0.5rem 0 0;
    padding-left: 1.25rem;
    font-size: 0.9375rem;
  }

  /* Requests / received documents: a pair of toggle buttons. */
  .tabs {
    display: flex;
    gap: 0.25rem;
    margin-bottom: var(--_space);
    border-bottom: 1px solid var(--_line);
  }

  .tab {
    margin: 0;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: transparent;
    color: var(--_link);
    box-shadow: none;
    border: 1px solid transparent;
    border-bottom: 0;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  .tab[aria-pressed='true'] {
    color: var(--_text);
    background: var(--_surface);
    border-color: var(--_line);
    text-decoration: none;
    margin-bottom: -1px;
  }

  .received {
    padding: 0.6rem 0.5rem;
  }

  .received p {
    margin: 0 0 0.25rem;
  }

  .received .actions {
    margin-top: 0.5rem;
  }

  .received .actions button {
    margin: 0;
  }

  /* A tracking number is read as one word: never broken at its hyphens. */
  .nowrap {
    white-space: nowrap;
  }
`;
