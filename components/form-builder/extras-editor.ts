import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '../i18n/index.ts';
import type { FeeSpec, FormPage } from './contract-types.ts';
import { checkbox, errorsFor, optionalText, parseNumber, select, smallButton, textInput, type EditorContext } from './context.ts';
import { conditions, fieldTitle } from './field-editor.ts';
import { textEditor } from './text-editor.ts';

/**
 * Pages (CONTRACTS.md `pages`, owner `pg`): each page's id, title, description, which
 * questions it holds (every question on exactly one page) and when it is shown. Turning pages
 * on puts every question on one first page; turning them off removes `pages`.
 */
export function pagesEditor(ctx: EditorContext): TemplateResult {
  const pages = ctx.def.pages;
  const names = ctx.def.fields.map((f) => f.name);
  const enable = (on: boolean) => ctx.set(['pages'], on ? [{ id: 'page-1', title: '', fields: names }] satisfies FormPage[] : undefined);
  const id = '/pages';
  return html`${checkbox(ctx, ['pages'], pages !== undefined, msg(ctx.lang, 'builder.pages.enable'), enable, msg(ctx.lang, 'builder.pages.enableHint'))}
    ${pages === undefined
      ? nothing
      : html`<div class="field-list">
          <ol class="cards">
            ${pages.map((p, i) => {
              const at = `${id}/${i}`;
              const what = msg(ctx.lang, 'builder.pages.page', { n: i + 1 });
              const up = `${at}#up`;
              const down = `${at}#down`;
              const fieldsId = `${at}/fields`;
              const fieldErrors = errorsFor(ctx, fieldsId);
              // A question moves to this page (off the one it was on): every question stays on exactly one page.
              const place = (name: string, on: boolean) => {
                const next = pages.map((q, k) => {
                  if (k === i) return { ...q, fields: on ? names.filter((n) => n === name || q.fields.includes(n)) : q.fields.filter((n) => n !== name) };
                  return on ? { ...q, fields: q.fields.filter((n) => n !== name) } : q;
                });
                ctx.set(['pages'], next);
              };
              // A page's condition looks at the answers of earlier pages only (core's checkDefinition).
              const before = new Set(pages.slice(0, i).flatMap((q) => q.fields));
              const earlier = ctx.def.fields.filter((f) => before.has(f.name));
              return html`<li><section class="card" aria-labelledby=${`${at}#title`} data-anchor=${at}>
                <div class="card-head">
                  <h4 id=${`${at}#title`}>${what}</h4>
                  <div class="actions">
                    ${smallButton(up, msg(ctx.lang, 'builder.moveUp'), what, () => ctx.move(['pages'], i, i - 1, [up, down]), { disabled: i === 0 })}
                    ${smallButton(down, msg(ctx.lang, 'builder.moveDown'), what, () => ctx.move(['pages'], i, i + 1, [down, up]), { disabled: i === pages.length - 1 })}
                    ${smallButton(`${at}#remove`, msg(ctx.lang, 'builder.remove'), what, () => ctx.remove(['pages'], i, what, true), { danger: true })}
                  </div>
                </div>
                ${errorsFor(ctx, at).html}
                ${textInput(ctx, ['pages', i, 'id'], p.id, { label: msg(ctx.lang, 'builder.pages.id'), hint: msg(ctx.lang, 'builder.slugHint', { example: 'owner' }), width: 'short' })}
                ${textEditor(ctx, ['pages', i, 'title'], p.title, { label: msg(ctx.lang, 'builder.pages.title') })}
                ${textEditor(ctx, ['pages', i, 'description'], p.description, { label: msg(ctx.lang, 'builder.pages.description'), multiline: true, optional: true })}
                <fieldset class="field ${fieldErrors.invalid ? 'field--error' : ''}" data-anchor=${fieldsId}>
                  <legend>${msg(ctx.lang, 'builder.pages.fields')}</legend>
                  ${fieldErrors.html}
                  ${ctx.def.fields.map((f, k) => {
                    const cid = k === 0 ? fieldsId : `${fieldsId}#${k}`;
                    return html`<div class="check">
                      <input type="checkbox" id=${cid} .checked=${p.fields.includes(f.name)} @change=${(e: Event) => place(f.name, (e.target as HTMLInputElement).checked)} />
                      <label for=${cid}>${fieldTitle(ctx, f)}</label>
                    </div>`;
                  })}
                </fieldset>
                ${conditions(ctx, ['pages', i, 'when'], p.when, earlier, msg(ctx.lang, 'builder.pages.when'))}
              </section></li>`;
            })}
          </ol>
          <button type="button" class="secondary" id=${`${id}#add`} @click=${() => ctx.insert(['pages'], { id: `page-${pages.length + 1}`, title: '', fields: [] } satisfies FormPage)}>
            ${msg(ctx.lang, 'builder.pages.add')}
          </button>
        </div>`}`;
}

const NEW_FEE: FeeSpec = { amount: 0, payee: { name: '', account: '' }, paymentCode: '253', purpose: '' };

/** The administrative fee (CONTRACTS.md `fee`, owner `fee`); the model 97 reference is computed from the tracking number, so it is not asked. */
export function feeEditor(ctx: EditorContext): TemplateResult {
  const fee = ctx.def.fee;
  return html`${checkbox(ctx, ['fee'], fee !== undefined, msg(ctx.lang, 'builder.fee.enable'), (on) => ctx.set(['fee'], on ? NEW_FEE : undefined))}
    ${fee === undefined
      ? nothing
      : html`<div class="row">
            ${textInput(ctx, ['fee', 'amount'], fee.amount === 0 ? '' : fee.amount, { label: msg(ctx.lang, 'builder.fee.amount'), hint: msg(ctx.lang, 'builder.fee.amountHint'), width: 'short', inputmode: 'decimal', parse: (raw) => parseNumber(raw) ?? 0 })}
            ${textInput(ctx, ['fee', 'paymentCode'], fee.paymentCode, { label: msg(ctx.lang, 'builder.fee.paymentCode'), hint: msg(ctx.lang, 'builder.fee.paymentCodeHint'), width: 'short', inputmode: 'numeric' })}
          </div>
          ${textInput(ctx, ['fee', 'payee', 'name'], fee.payee.name, { label: msg(ctx.lang, 'builder.fee.payeeName'), width: 'long' })}
          ${textInput(ctx, ['fee', 'payee', 'account'], fee.payee.account, { label: msg(ctx.lang, 'builder.fee.account'), hint: msg(ctx.lang, 'builder.fee.accountHint'), width: 'medium' })}
          ${textInput(ctx, ['fee', 'payee', 'address'], fee.payee.address, { label: msg(ctx.lang, 'builder.fee.address'), width: 'long', parse: optionalText })}
          ${textEditor(ctx, ['fee', 'purpose'], fee.purpose, { label: msg(ctx.lang, 'builder.fee.purpose') })}
          ${checkbox(ctx, ['fee', 'requiredBeforeApproval'], fee.requiredBeforeApproval === true, msg(ctx.lang, 'builder.fee.before'))}`}`;
}

/** The legal time limit for a decision (`deadline`, core's DeadlineSpec, owner `dl`). */
export function deadlineEditor(ctx: EditorContext): TemplateResult {
  const d = ctx.def.deadline;
  return html`${checkbox(ctx, ['deadline'], d !== undefined, msg(ctx.lang, 'builder.deadline.enable'), (on) => ctx.set(['deadline'], on ? { days: 30, kind: 'calendar' } : undefined))}
    ${d === undefined
      ? nothing
      : html`<div class="row">
          ${textInput(ctx, ['deadline', 'days'], d.days, { label: msg(ctx.lang, 'builder.deadline.days'), width: 'short', inputmode: 'numeric', parse: (raw) => parseNumber(raw) ?? 0 })}
          ${select(ctx, ['deadline', 'kind'], d.kind, msg(ctx.lang, 'builder.deadline.kind'), [
            { value: 'calendar', label: msg(ctx.lang, 'builder.deadline.calendar') },
            { value: 'working', label: msg(ctx.lang, 'builder.deadline.working') },
          ])}
        </div>`}`;
}
