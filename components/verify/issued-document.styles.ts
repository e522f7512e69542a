import { css } from 'lit';

/** The genuine document a valid code leads to (loaded with its chunk), on top of verify.styles.ts. */
export default css`
  .genuine {
    margin-bottom: var(--_space);
    padding: var(--_space);
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
  }

  .genuine .compare {
    max-width: 40em;
    font-weight: 700;
  }

  .genuine-body {
    display: grid;
    gap: var(--_space);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
    align-items: start;
  }

  .genuine dl {
    margin: 0;
  }

  .genuine dt {
    font-weight: 700;
  }

  .genuine dd {
    margin: 0 0 0.75rem;
    overflow-wrap: anywhere;
  }

  /* Five groups of four on one line, as on the document and in the sign box. */
  .genuine .fingerprint {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 1.0625rem;
    letter-spacing: 0.05em;
    white-space: nowrap;
  }

  .genuine figure {
    margin: 0;
  }

  .genuine canvas {
    display: block;
    max-width: 100%;
    border: 1px solid var(--_muted);
    background: #fff;
  }

  .genuine figcaption,
  .genuine .hint {
    color: var(--_muted);
  }

  .genuine dd .hint {
    display: block;
  }

  .genuine .file-fingerprint {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    overflow-wrap: anywhere;
  }
`;
