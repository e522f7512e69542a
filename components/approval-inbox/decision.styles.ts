import { css } from 'lit';

/** Deciding on a step, or acknowledging a received document: the choice, the comment and the signing (loaded with the chunk that draws them). */
export default css`
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
`;
