import { css } from 'lit';

/** An open request (loaded with its chunk), on top of approval-inbox.styles.ts: its facts, the approval line, the answers, attachments and history. */
export default css`
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

  /* The issued document, above the answers once the final approval issued it. */
  .issued {
    margin: var(--_space) 0;
    padding: 0.75rem var(--_space);
    border-left: 5px solid var(--overa-color-success, #00703c);
    background: color-mix(in srgb, var(--overa-color-success, #00703c) 8%, var(--_surface));
  }

  /* The fee: a box of its own, yellow while the payment is awaited, green once marked paid. */
  .fee {
    margin: var(--_space) 0;
    padding: 0.75rem var(--_space);
    border-left: 5px solid #b58800;
  }

  .fee h4 {
    margin-top: 0;
  }

  .fee-state--paid {
    color: var(--overa-color-success, #00703c);
  }

  .fee-form input {
    max-width: 24rem;
  }

  .issued h4 {
    margin-top: 0;
  }

  .issued-facts {
    margin: 0 0 0.5rem;
  }

  .issued-facts div {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.5rem;
  }

  .issued-facts dt {
    font-weight: 700;
  }

  .issued-facts dd {
    margin: 0;
  }

  .issued-facts code {
    font-size: 1.0625rem;
    letter-spacing: 0.05em;
  }

  .issued .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_space);
  }

  .issued-verify {
    color: var(--_link);
  }
`;
