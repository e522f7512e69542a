import { css } from 'lit';

/** `<overa-account>`'s own rules, on top of components/styles/base.styles.ts. */
export default css`
  .details-body {
    margin-top: calc(var(--_space) * 0.75);
    padding-left: calc(var(--_space) * 0.9);
    border-left: 5px solid var(--_line);
  }

  .details-body .field {
    margin-bottom: 0;
  }

  /* Inside the disclosure its own bar turns red, rather than a second bar beside it. */
  .details-body:has(.field--error) {
    border-left-color: var(--_danger);
  }

  .details-body .field--error {
    border-left: 0;
    padding-left: 0;
  }

  .register-second,
  .sign-in {
    margin-top: calc(var(--_space) * 1.25);
    padding-top: calc(var(--_space) * 1.25);
    border-top: 1px solid var(--_line);
  }

  .register-second > p,
  .sign-in p {
    margin-bottom: calc(var(--_space) * 0.5);
  }

  .restoring .status {
    margin: 0;
  }

  /* Signed in */
  .user {
    margin-bottom: var(--_space);
  }

  .user:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 4px;
  }

  .user p {
    margin: 0;
  }

  .user p + p {
    margin-top: calc(var(--_space) * 0.25);
    color: var(--_muted);
  }

  .passkeys {
    margin-top: calc(var(--_space) * 1.25);
    margin-bottom: 0;
  }

  .user .name {
    font-size: 1.125rem;
  }
`;
