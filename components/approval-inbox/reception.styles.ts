import { css } from 'lit';

/** The documents other agencies sent (loaded with that view's chunk), on top of approval-inbox.styles.ts. */
export default css`
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
`;
