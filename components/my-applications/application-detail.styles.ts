import { css } from 'lit';

/** The opened application's rules (loaded with its chunk), on top of my-applications.styles.ts. */
export default css`
  .change-heading:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 4px;
  }

  /* Seen where the person is looking; the status line (a live region) is what screen readers hear. */
  .success {
    margin-bottom: var(--_space);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.75);
    border-left: 5px solid #00703c;
    font-weight: 700;
  }

  .detail-status {
    margin-bottom: var(--_space);
  }

  .history-heading,
  .change-heading {
    margin: calc(var(--_space) * 1.25) 0 calc(var(--_space) * 0.75);
    font-size: 1rem;
  }

  /* Notification banner (GOV.UK): a coloured header with the title, the message below. */
  .banner {
    margin-bottom: var(--_space);
    border: 5px solid var(--_primary);
    background: var(--_primary);
  }

  .banner-header {
    padding: 0.125rem calc(var(--_space) * 0.75) 0.3125rem;
  }

  .banner-title {
    margin: 0;
    color: #ffffff;
    font-size: 1rem;
    line-height: 1.3;
  }

  .banner-content {
    padding: calc(var(--_space) * 0.75);
    background: var(--_surface);
  }

  .banner-content > :last-child {
    margin-bottom: 0;
  }

  .banner-content .actions {
    margin-top: var(--_space);
  }

  .comment {
    margin: 0;
    padding: calc(var(--_space) * 0.5) 0 calc(var(--_space) * 0.5) calc(var(--_space) * 0.9);
    border-left: 5px solid var(--_line);
    font-size: 1.125rem;
    /* The official's line breaks are part of what they wrote. */
    white-space: pre-line;
    overflow-wrap: anywhere;
  }


  .change overa-application-form {
    margin-bottom: var(--_space);
  }

  .issued {
    margin-bottom: var(--_space);
  }

  .issued p {
    margin-bottom: calc(var(--_space) * 0.5);
  }

  /* Timeline (MOJ pattern): dots on a line, oldest first. */
  .timeline {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .event {
    position: relative;
    padding: 0 0 calc(var(--_space) * 0.9) 1.5rem;
  }

  .event::before {
    content: '';
    position: absolute;
    left: 0;
    top: 0.35em;
    width: 0.75rem;
    height: 0.75rem;
    border-radius: 50%;
    background: var(--_primary);
  }

  .event::after {
    content: '';
    position: absolute;
    left: calc(0.375rem - 1px);
    top: 1.15em;
    bottom: 0;
    width: 2px;
    background: var(--_line);
  }

  .event:last-child {
    padding-bottom: 0;
  }

  .event:last-child::after {
    display: none;
  }

  .event--application-returned::before,
  .event--application-rejected::before {
    background: var(--_danger);
  }

  .event p {
    margin: 0;
  }

  .event-title {
    font-weight: 700;
  }

  .event-time {
    color: var(--_muted);
    font-size: 0.9375rem;
  }

  .event .comment {
    margin-top: calc(var(--_space) * 0.5);
    font-size: 1rem;
  }
`;
