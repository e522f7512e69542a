import { css } from 'lit';

/** Status tags (GOV.UK Frontend 5), on top of base.styles.ts. */
export default css`
  /* Status tags (GOV.UK Frontend 5): dark text on a tint, so the words carry the meaning. */
  .tag {
    display: inline-block;
    max-width: 100%;
    padding: 0.125rem 0.5rem 0.1875rem;
    font-weight: 400;
    line-height: 1.25;
    color: #0c2d4a;
    background: #bbd4ea;
    border-radius: 0;
    overflow-wrap: break-word;
  }

  .tag--draft {
    color: #282d30;
    background: #e5e6e7;
  }

  .tag--in_review {
    color: #0c2d4a;
    background: #e8f1f8;
  }

  .tag--approved {
    color: #005a30;
    background: #cce2d8;
  }

  .tag--issued {
    color: #10403c;
    background: #d4ecea;
  }

  .tag--returned {
    color: #6e3619;
    background: #fcd6c3;
  }

  .tag--rejected {
    color: #2a0b06;
    background: #f4cdc6;
  }
`;
