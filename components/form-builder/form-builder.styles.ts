import { css } from 'lit';

/** The builder's own layout: the editor and the preview side by side where there is room, cards for questions and steps. */
export default css`
  :host {
    container-type: inline-size;
  }

  .layout {
    display: grid;
    gap: calc(var(--_space) * 1.5);
    grid-template-columns: minmax(0, 1fr);
  }

  @container (min-width: 62rem) {
    .layout {
      grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    }
    .preview {
      position: sticky;
      top: 0;
      align-self: start;
      max-height: 100vh;
      overflow: auto;
    }
  }

  .status {
    grid-column: 1 / -1;
  }

  h2 {
    margin: 0 0 var(--_space);
    font-size: 1.5rem;
  }

  h3 {
    font-size: 1.2rem;
    margin: 0 0 calc(var(--_space) * 0.75);
  }

  h4,
  h5 {
    margin: 0;
    font-size: 1.05rem;
  }

  .part {
    border-top: 2px solid var(--_line);
    padding-top: var(--_space);
    margin-bottom: calc(var(--_space) * 1.5);
  }

  .part:focus {
    outline: 3px solid var(--_focus);
  }

  .contents ul {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    padding: 0;
    list-style: none;
  }

  a {
    color: var(--_link);
  }

  a:focus {
    outline: 3px solid transparent;
    color: #0b0c0c;
    background: var(--_focus);
    box-shadow: 0 -2px var(--_focus), 0 4px #0b0c0c;
    text-decoration: none;
  }

  .cards,
  .options-list,
  .conditions-list,
  .agencies,
  .forms {
    list-style: none;
    padding: 0;
    margin: 0 0 var(--_space);
  }

  .card {
    border: 1px solid var(--_line);
    border-left: 4px solid var(--_primary);
    border-radius: var(--_radius);
    padding: var(--_space);
    margin-bottom: var(--_space);
  }

  .card-head {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: baseline;
    gap: 0.5rem;
    margin-bottom: var(--_space);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_space);
    align-items: flex-start;
  }

  .row > .field {
    flex: 1 1 12rem;
  }

  button.small {
    padding: 0.25rem 0.6rem;
    font-size: 0.9rem;
    margin: 0;
  }

  /* Remove buttons: the secondary look with a red edge (red text on the grey would not reach 4.5:1). */
  button.danger {
    box-shadow: inset 4px 0 0 var(--_danger), 0 2px 0 var(--_secondary-shadow);
  }

  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    margin-bottom: var(--_space);
  }

  .buttons button {
    margin: 0;
  }

  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 var(--_space);
    min-width: 0;
  }

  legend {
    font-weight: 700;
    padding: 0;
    margin-bottom: 0.25rem;
  }

  .text-editor .scripts {
    display: grid;
    gap: 0.5rem var(--_space);
    grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
  }

  .text-editor label {
    font-weight: 400;
  }

  .text-editor input,
  .text-editor textarea {
    max-width: none;
  }

  .hint.small {
    font-size: 0.875rem;
  }

  input.short {
    max-width: 10em;
  }

  input.long {
    max-width: 36em;
  }

  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    margin: 0.25rem 0;
  }

  .check input {
    width: 1.5rem;
    height: 1.5rem;
    min-height: 0;
    margin: 0;
    flex: none;
  }

  .check label {
    font-weight: 400;
    margin: 0;
  }

  .check.inline {
    display: inline-flex;
    margin-right: var(--_space);
  }

  .check-hint {
    margin-left: 2rem;
  }

  .option,
  .condition {
    border-left: 3px solid var(--_line);
    padding-left: var(--_space);
    margin-bottom: var(--_space);
  }

  .group {
    border-left: 3px dashed var(--_primary);
    padding-left: var(--_space);
    margin-bottom: var(--_space);
  }

  .undo {
    border: 3px solid var(--_primary);
    border-radius: var(--_radius);
    padding: var(--_space);
    margin-bottom: var(--_space);
  }

  .undo h3:focus {
    outline: 3px solid var(--_focus);
  }

  .empty {
    color: var(--_muted);
  }

  .preview overa-application-form {
    margin-top: var(--_space);
  }
`;
