/**
 * A file field of `<overa-application-form>`: "Choose files" (the native input out of sight), drop
 * zone, limits, and each file with its progress, state and "Remove". A chunk of its own, which the
 * element loads with a form that has a file field (forms without one never fetch it). The label
 * and `aria-describedby` helpers come from the element (`FileKit`): a static import of fields.ts
 * here would split the field renderer out of the element's first-load chunk (bench/bundle-size.ts).
 * The attachments' state and uploads (attachments.ts, client/upload.ts) and the file messages
 * (en/form-file.ts) come with it.
 * No `ifDefined` for the same reason: `nothing` leaves the attribute out as well.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { localize, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import { acceptedTypes, formatBytes, formatList, msg, type Lang } from '../i18n/index.ts';
import { formFileMessages } from '../i18n/en/form-file.ts';
import type { AttachmentItem, Attachments } from './attachments.ts';
import type { described, FieldContext, labelText } from './fields.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';

// The attachments' state and uploads come with the file fields: a form without one never needs them.
export { Attachments } from './attachments.ts';

export const messages = [formFileMessages];

export const styles = [
  linkButtonStyles,
  css`
    /* File fields: our own button (in the page's language) and a drop zone around it. */
    .drop-zone {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem var(--_space);
      max-width: 36em;
      padding: calc(var(--_space) * 0.75);
      border: 2px dashed var(--_line);
      border-radius: var(--_radius);
    }

    .drop-zone.dropping {
      border-color: var(--_primary);
      background: color-mix(in srgb, var(--_primary) 8%, transparent);
    }

    .drop-zone--disabled .drop-hint {
      display: none;
    }

    .file-button {
      margin: 0;
    }

    .drop-hint {
      color: var(--_muted);
    }

    .files {
      list-style: none;
      margin: calc(var(--_space) * 0.75) 0 0;
      padding: 0;
      max-width: 36em;
    }

    .file-item {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.75rem;
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--_line);
    }

    .file-name {
      font-weight: 700;
      overflow-wrap: anywhere;
    }

    .file-size {
      color: var(--_muted);
    }

    .file-item progress {
      flex: 1 1 8em;
      height: 0.75rem;
      accent-color: var(--_primary);
    }

    .file-status--done {
      color: var(--_success);
      font-weight: 700;
    }

    .file-status--done::before {
      content: '✓ ';
    }

    .file-status--failed {
      color: var(--_danger);
      font-weight: 700;
      flex-basis: 100%;
    }

    /* A file's Cancel / Remove sits at the end of its line. */
    .file-item .link-button {
      margin-left: auto;
    }
  `,
];

/**
 * What the file fields add to `shown` (the validator's issues, by field) that stops the person
 * from going on: a file that could not be attached stays listed with its reason until removed
 * (going on past it would leave the applicant believing it was sent), and a file still on its way.
 */
export function blockingFileIssues(
  def: FormDefinition,
  attachments: Attachments,
  lang: Lang,
  shown: Record<string, { issue: ValidationIssue; message?: string }>,
): void {
  const files = def.fields.filter((f) => f.type === 'file');
  for (const field of files) {
    const names = attachments.of(field.name).filter((i) => i.state === 'failed').map((i) => i.name);
    if (names.length) shown[field.name] = { issue: { field: field.name, code: 'required' }, message: msg(lang, 'form.file.fixFailed', { count: names.length, names: formatList(lang, names) }) };
  }
  for (const field of files) {
    if (!shown[field.name] && attachments.of(field.name).some((i) => i.state === 'uploading')) {
      shown[field.name] = { issue: { field: field.name, code: 'required' }, message: msg(lang, 'form.file.wait') };
    }
  }
}

/** What the chunk uses of fields.ts, handed over by the element. */
export interface FileKit {
  readonly labelText: typeof labelText;
  readonly described: typeof described;
}

export function renderFile(kit: FileKit, field: FormField, ctx: FieldContext, error: string | undefined, cls: string): TemplateResult {
  const { labelText, described } = kit;
  const items = ctx.files(field.name);
  const maxFiles = field.maxFiles ?? 1;
  const limits = [
    field.accept ? msg(ctx.lang, 'form.file.types', { types: acceptedTypes(ctx.lang, field.accept) }) : '',
    field.maxSize !== undefined ? msg(ctx.lang, 'form.file.maxSize', { max: formatBytes(ctx.lang, field.maxSize) }) : '',
    maxFiles > 1 ? msg(ctx.lang, 'form.file.maxFiles', { max: maxFiles }) : '',
  ].filter(Boolean);
  const extraIds = limits.length ? [`f-${field.name}-limits`] : [];
  const disabled = ctx.disabled || !ctx.canUpload;
  const pick = (e: Event) => {
    const root = (e.currentTarget as HTMLElement).getRootNode() as ShadowRoot | Document;
    root.querySelector<HTMLInputElement>(`#f-${field.name}`)?.click();
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    (e.currentTarget as HTMLElement).classList.remove('dropping');
    if (disabled) return;
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) ctx.onFiles(field, files);
  };
  const onDragOver = (e: DragEvent) => {
    if (disabled) return;
    e.preventDefault();
    (e.currentTarget as HTMLElement).classList.add('dropping');
  };
  const onDragLeave = (e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('dropping');
  return html`<div class=${cls}>
    <label id="f-${field.name}-label" for="f-${field.name}">${labelText(field, ctx.lang)}</label>
    ${field.hint ? html`<div id="f-${field.name}-hint" class="hint">${localize(field.hint, ctx.lang)}</div>` : nothing}
    ${limits.length ? html`<div id="f-${field.name}-limits" class="hint">${limits.join(' ')}</div>` : nothing}
    ${error
      ? html`<p id="f-${field.name}-error" class="error-message"><span class="visually-hidden">${msg(ctx.lang, 'error.prefix')}</span> ${error}</p>`
      : nothing}
    ${ctx.canUpload ? nothing : html`<p class="hint sign-in-to-upload">${msg(ctx.lang, 'form.file.signIn')}</p>`}
    <div class="drop-zone ${disabled ? 'drop-zone--disabled' : ''}" @dragover=${onDragOver} @dragleave=${onDragLeave} @drop=${onDrop}>
      <!-- The native input stays (it is what the label and the browser's picker use), out of sight:
           its "Choose files / No file chosen" would be in the browser's language, not the page's. -->
      <input
        id="f-${field.name}"
        name=${field.name}
        type="file"
        class="visually-hidden"
        tabindex="-1"
        aria-hidden="true"
        ?multiple=${maxFiles > 1}
        ?disabled=${disabled}
        accept=${field.accept?.join(',') ?? nothing}
        @change=${(e: Event) => {
          const el = e.target as HTMLInputElement;
          const files = [...(el.files ?? [])];
          // Cleared so choosing the same file again (after removing it) fires change again.
          el.value = '';
          ctx.onFiles(field, files);
        }}
      />
      <button
        type="button"
        id="f-${field.name}-button"
        class="secondary file-button"
        ?disabled=${disabled}
        aria-labelledby="f-${field.name}-label f-${field.name}-button-text"
        aria-describedby=${described(field, error, extraIds) || nothing}
        aria-invalid=${error ? 'true' : 'false'}
        @click=${pick}
      >
        <span id="f-${field.name}-button-text">${msg(ctx.lang, maxFiles > 1 ? 'form.file.chooseMany' : 'form.file.chooseOne')}</span>
      </button>
      <span class="drop-hint">${msg(ctx.lang, 'form.file.orDrop')}</span>
    </div>
    ${items.length
      ? html`<ul class="files" aria-label=${msg(ctx.lang, 'form.file.listLabel', { field: localize(field.label, ctx.lang) })}>
          ${items.map((item) => renderFileItem(field, item, ctx))}
        </ul>`
      : nothing}
  </div>`;
}

function renderFileItem(field: FormField, item: AttachmentItem, ctx: FieldContext): TemplateResult {
  const lang = ctx.lang;
  const size = formatBytes(lang, item.size);
  const percent = Math.round(item.progress * 100);
  let status: TemplateResult;
  if (item.state === 'uploading') {
    status = html`<progress max="100" value=${percent} aria-label=${msg(lang, 'form.file.uploading', { name: item.name })}></progress>
      <span class="file-status" aria-hidden="true">${percent}%</span>`;
  } else if (item.state === 'done') {
    status = html`<span class="file-status file-status--done">${msg(lang, 'form.file.uploaded')}</span>`;
  } else {
    const reason = item.issue ? ctx.issueMessage(item.issue) : msg(lang, item.errorCode === 'network' ? 'problem.network' : 'form.file.failed');
    status = html`<span class="file-status file-status--failed" role="alert">${reason}</span>`;
  }
  const action = item.state === 'uploading' ? 'form.file.cancel' : 'form.file.remove';
  return html`<li class="file-item file-item--${item.state}">
    <span class="file-name">${item.name}</span> <span class="file-size">(${size})</span>
    ${status}
    <button type="button" class="link-button" ?disabled=${ctx.disabled} @click=${() => ctx.onRemoveFile(field, item.key)}>
      ${msg(lang, action)}<span class="visually-hidden"> ${item.name}</span>
    </button>
  </li>`;
}
