/**
 * "Send to another agency" on an issued case (issue 19), part of the case view's chunk: the
 * agencies of `GET agencies` (this server's and partner agencies on other servers alike) as a
 * fieldset of checkboxes, the issuing agency left out and those the document already went to
 * shown disabled; then a confirmation naming the chosen ones; then `POST documents/:id/distribute`.
 * The element keeps the state (`SendTo`) and shows the document the server answers with, so
 * the delivery lists grow at once (a partner's delivery queued, then delivered).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { DirectoryAgency, DocumentDetails } from '../core/api.ts';
import { OveraApiError } from '../client/errors.ts';
import { distributeDocument, listAgencies } from '../client/distribution.ts';
import { hasMessage, msg, problemMessage, type Lang } from '../i18n/index.ts';
import { errorSummary } from '../shared/error-summary.ts';
import type { ShownProblem } from '../shared/problem.ts';
import type { CaseContext } from './case-view.ts';

/** Why a send failed: the problem, and the agency at fault when the server named one (`agencyIds[i]`). */
export interface SendProblem extends ShownProblem {
  readonly agencyId?: string | undefined;
}

interface Choosing {
  readonly documentId: string;
  /** The directory, the issuing agency left out. */
  readonly agencies: readonly DirectoryAgency[];
  readonly chosen: readonly string[];
}

/** The picker of one issued document: the directory loading or failed; agencies chosen; the choice confirmed and sent. */
export type SendTo =
  | { readonly phase: 'loading'; readonly documentId: string }
  | { readonly phase: 'error'; readonly documentId: string; readonly problem: ShownProblem }
  | (Choosing & { readonly phase: 'choose'; readonly missing: boolean })
  /** `key`: one idempotency key per confirmed choice, kept for a retry after a lost answer. */
  | (Choosing & { readonly phase: 'confirm' | 'sending'; readonly key: string; readonly problem: SendProblem | null });

type Confirming = Extract<SendTo, { readonly key: string }>;

export const sendToStyles = css`
  /* On the surface colour, not the issued box's tint: its error text keeps its contrast. */
  .send-to {
    margin-top: var(--_space);
    padding: 0.75rem var(--_space);
    background: var(--_surface);
    border: 1px solid var(--overa-color-muted, #505a5f);
  }

  .send-to h5 {
    margin-top: 0;
  }

  .send-to fieldset {
    margin: 0 0 0.75rem;
    padding: 0;
    border: 0;
  }

  .send-to legend {
    font-weight: 700;
  }

  .send-to-list {
    list-style: none;
    margin: 0.5rem 0;
    padding: 0;
  }

  .send-to-list li {
    display: flex;
    align-items: baseline;
    gap: 0.5rem;
    margin: 0.25rem 0;
  }

  .send-to-list input {
    width: 1.25rem;
    height: 1.25rem;
    flex: none;
  }

  .send-to-confirm:focus,
  .send-to h5:focus {
    outline: 3px solid var(--overa-color-focus, #ffdd00);
  }
`;

/** Opens the picker: the directory is read each time (a partner added since shows up). */
async function open(ctx: CaseContext, d: DocumentDetails): Promise<void> {
  const client = ctx.client;
  if (!client) return;
  ctx.onSendTo({ phase: 'loading', documentId: d.id }, '#send-to-heading');
  try {
    const agencies = (await listAgencies(client)).filter((a) => a.id !== d.agencyId);
    if (ctx.sendToNow()?.phase !== 'loading') return;
    ctx.onSendTo({ phase: 'choose', documentId: d.id, agencies, chosen: [], missing: false });
  } catch (err) {
    if (ctx.sendToNow()?.phase !== 'loading') return;
    ctx.onSendTo({ phase: 'error', documentId: d.id, problem: ctx.problem(err) }, '#send-to .error-summary');
  }
}

/** A field at fault (`agencyIds[i]`: unknown, own-agency, already-sent) names the agency; anything else is the problem's code. */
function sendProblem(ctx: CaseContext, err: unknown, chosen: readonly string[]): SendProblem {
  const shown = ctx.problem(err);
  if (!(err instanceof OveraApiError)) return shown;
  const field = err.fieldErrors.find((e) => /^agencyIds\[\d+\]$/.test(e.field));
  if (!field) return shown;
  return { code: field.code, requestId: shown.requestId, agencyId: chosen[Number(/\d+/.exec(field.field)![0])] };
}

async function send(ctx: CaseContext, d: DocumentDetails, s: Confirming, lang: Lang): Promise<void> {
  const client = ctx.client;
  if (!client || s.phase !== 'confirm') return;
  ctx.onSendTo({ ...s, phase: 'sending', problem: null });
  try {
    const updated = await distributeDocument(client, d.id, s.chosen, s.key);
    if (ctx.sendToNow()?.documentId !== d.id) return;
    ctx.onDistributed(updated, s.chosen, msg(lang, 'inbox.sendTo.sent', { count: s.chosen.length }));
  } catch (err) {
    if (ctx.sendToNow()?.documentId !== d.id) return;
    ctx.onSendTo({ ...s, phase: 'confirm', problem: sendProblem(ctx, err, s.chosen) }, '#send-to .error-summary');
  }
}

function agencyLabel(lang: Lang, a: DirectoryAgency): TemplateResult {
  return html`${a.name}${a.kind === 'partner' ? html` <span class="muted partner-mark">(${msg(lang, 'inbox.sendTo.partner', { server: a.server ?? '' })})</span>` : nothing}`;
}

function problemText(lang: Lang, p: SendProblem, agencies: readonly DirectoryAgency[]): string {
  const agency = agencies.find((a) => a.id === p.agencyId)?.name ?? p.agencyId ?? '';
  const key = `inbox.sendTo.error.${p.code}`;
  return hasMessage(key) ? msg(lang, key, { agency }) : problemMessage(lang, p.code);
}

/** The button that opens the picker, or the picker itself; nothing for a document that is no longer valid. */
export function renderSendTo(ctx: CaseContext, d: DocumentDetails): TemplateResult | typeof nothing {
  const { lang } = ctx;
  if (d.status !== 'valid') return nothing;
  const s = ctx.sendTo?.documentId === d.id ? ctx.sendTo : null;
  if (!s) {
    return html`<div class="actions">
      <button type="button" part="send-to-button" class="secondary" @click=${() => void open(ctx, d)}>${msg(lang, 'inbox.sendTo.open')}</button>
    </div>`;
  }
  const cancel = () => ctx.onSendTo(null, '[part~="send-to-button"]');
  const cancelButton = html`<button type="button" class="secondary" @click=${cancel}>${msg(lang, 'inbox.sendTo.cancel')}</button>`;
  let body: TemplateResult;
  if (s.phase === 'loading') {
    body = html`<p class="status status--busy" role="status">${msg(lang, 'inbox.sendTo.loading')}</p>`;
  } else if (s.phase === 'error') {
    body = html`${ctx.renderError(s.problem, () => void open(ctx, d))}<div class="actions">${cancelButton}</div>`;
  } else if (s.phase === 'choose') {
    body = renderChoose(ctx, d, s, cancelButton);
  } else {
    body = renderConfirm(ctx, d, s);
  }
  return html`<section part="send-to" id="send-to" class="send-to" aria-labelledby="send-to-heading">
    <h5 id="send-to-heading" tabindex="-1">${msg(lang, 'inbox.sendTo.open')}</h5>
    ${body}
  </section>`;
}

function renderChoose(ctx: CaseContext, d: DocumentDetails, s: Extract<SendTo, { phase: 'choose' }>, cancelButton: TemplateResult): TemplateResult {
  const { lang } = ctx;
  if (s.agencies.length === 0) return html`<p class="empty">${msg(lang, 'inbox.sendTo.empty')}</p><div class="actions">${cancelButton}</div>`;
  const sent = new Set(d.recipients.map((r) => r.agencyId));
  const open = s.agencies.filter((a) => !sent.has(a.id));
  // The latest state, not the one drawn: two quick changes (or a change and Continue) before the next render both count.
  const current = () => {
    const now = ctx.sendToNow();
    return now?.phase === 'choose' && now.documentId === s.documentId ? now : null;
  };
  const toggle = (id: string, on: boolean) => {
    const now = current();
    if (!now) return;
    const chosen = on ? [...now.chosen.filter((x) => x !== id), id] : now.chosen.filter((x) => x !== id);
    ctx.onSendTo({ ...now, chosen, missing: false });
  };
  const next = (event: SubmitEvent) => {
    event.preventDefault();
    const now = current();
    if (!now) return;
    // In the directory's order, and only agencies still open (the document may have gone to one meanwhile).
    const chosen = open.filter((a) => now.chosen.includes(a.id)).map((a) => a.id);
    if (chosen.length === 0) {
      ctx.onSendTo({ ...now, chosen, missing: true }, '#send-to input:not([disabled])');
      return;
    }
    ctx.onSendTo({ phase: 'confirm', documentId: now.documentId, agencies: now.agencies, chosen, key: crypto.randomUUID(), problem: null }, '.send-to-confirm');
  };
  return html`<form novalidate @submit=${next}>
    <fieldset part="send-to-agencies" aria-describedby="send-to-hint${s.missing ? ' send-to-missing' : ''}" class=${s.missing ? 'field--error' : ''}>
      <legend>${msg(lang, 'inbox.sendTo.legend')}</legend>
      <p id="send-to-hint" class="hint">${msg(lang, open.length ? 'inbox.sendTo.hint' : 'inbox.sendTo.allSent')}</p>
      ${s.missing
        ? html`<p id="send-to-missing" class="error-message"><span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${msg(lang, 'inbox.sendTo.none')}</p>`
        : nothing}
      <ul class="send-to-list">
        ${s.agencies.map((a, i) => {
          const already = sent.has(a.id);
          return html`<li data-agency=${a.id}>
            <input type="checkbox" id="send-to-${i}" value=${a.id} ?disabled=${already} .checked=${already || s.chosen.includes(a.id)}
              @change=${(e: Event) => toggle(a.id, (e.target as HTMLInputElement).checked)} />
            <label for="send-to-${i}">${agencyLabel(lang, a)}${already ? html` — ${msg(lang, 'inbox.sendTo.already')}` : nothing}</label>
          </li>`;
        })}
      </ul>
    </fieldset>
    <div class="actions">
      ${open.length ? html`<button type="submit" part="send-to-continue-button" class="primary">${msg(lang, 'inbox.sendTo.continue')}</button>` : nothing}
      ${cancelButton}
    </div>
  </form>`;
}

function renderConfirm(ctx: CaseContext, d: DocumentDetails, s: Confirming): TemplateResult {
  const { lang } = ctx;
  const sending = s.phase === 'sending';
  const chosen = s.agencies.filter((a) => s.chosen.includes(a.id));
  return html`<p class="send-to-confirm" tabindex="-1"><strong>${msg(lang, 'inbox.sendTo.confirm', { count: chosen.length })}</strong></p>
    <ul part="send-to-chosen" class="send-to-chosen">
      ${chosen.map((a) => html`<li data-agency=${a.id}>${agencyLabel(lang, a)}</li>`)}
    </ul>
    <p class="hint">${msg(lang, 'inbox.sendTo.confirmHint')}</p>
    ${s.phase === 'confirm' && s.problem
      ? errorSummary(lang, { title: msg(lang, 'error.title'), heading: 'h3', text: problemText(lang, s.problem, s.agencies), requestId: s.problem.requestId })
      : nothing}
    ${sending ? html`<p class="status status--busy" role="status">${msg(lang, 'inbox.sendTo.sending')}</p>` : nothing}
    <div class="actions">
      <button type="button" part="send-to-confirm-button" class="primary" ?disabled=${sending}
        @click=${() => void send(ctx, d, s, lang)}>${msg(lang, 'inbox.sendTo.send')}</button>
      <button type="button" class="secondary" ?disabled=${sending}
        @click=${() => ctx.onSendTo({ phase: 'choose', documentId: s.documentId, agencies: s.agencies, chosen: s.chosen, missing: false }, '#send-to input:not([disabled])')}>
        ${msg(lang, 'inbox.sendTo.change')}
      </button>
    </div>`;
}
