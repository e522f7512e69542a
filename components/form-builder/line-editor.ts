import { html, nothing, type TemplateResult } from 'lit';
import { DOCUMENT_PARTS, DOCUMENT_TEXT_PARTS } from '../core/forms/check.ts';
import type { ApprovalStep, DocumentSpec } from '../core/forms/definition.ts';
import { msg, msgOr } from '../i18n/index.ts';
import { checkbox, errorsFor, parseNumber, roleOptions, select, smallButton, textInput, type EditorContext } from './context.ts';
import { fieldTitle } from './field-editor.ts';
import { textEditor } from './text-editor.ts';

/** The placeholders as a template writes them (parameters, so the message formatter leaves their braces alone). */
const PLACEHOLDER_WORDS = { field: '{name}', comment: '{comment:step-id}', others: '{agency}, {trackingNumber}, {issuedDate}, {validUntil}' };

const STEP_KINDS = ['review', 'agree', 'approve'] as const;

/** A step id no other step has (`review2`). */
function freshStepId(steps: readonly ApprovalStep[], kind: string): string {
  const ids = new Set(steps.map((s) => s.id));
  if (!ids.has(kind)) return kind;
  for (let i = 2; ; i++) if (!ids.has(`${kind}-${i}`)) return `${kind}-${i}`;
}

/**
 * The approval line: its steps in order (id, kind, the role that decides), with Move up,
 * Move down and Remove; a new step goes before the approve step, which stays last.
 */
export function approvalLine(ctx: EditorContext): TemplateResult {
  const steps = ctx.def.approvalLine;
  const id = '/approvalLine';
  const errors = errorsFor(ctx, id);
  const add = () => {
    const at = steps.findIndex((s) => s.kind === 'approve');
    const step: ApprovalStep = { id: freshStepId(steps, 'review'), kind: 'review', assignee: { role: ctx.roles[0] ?? 'clerk' } };
    ctx.insert(['approvalLine'], step, at === -1 ? steps.length : at);
  };
  return html`<div class="field-list ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>
    ${errors.html}
    <ol class="cards">
      ${steps.map((s, i) => {
        const at = `${id}/${i}`;
        const what = msg(ctx.lang, 'builder.line.step', { n: i + 1 });
        const up = `${at}#up`;
        const down = `${at}#down`;
        const role = 'role' in s.assignee ? s.assignee.role : '';
        return html`<li><section class="card" aria-labelledby=${`${at}#title`} data-anchor=${at}>
          <div class="card-head">
            <h4 id=${`${at}#title`}>${what}: ${msgOr(ctx.lang, `builder.line.kind.${s.kind}`, 'builder.line.kind.review')}</h4>
            <div class="actions">
              ${smallButton(up, msg(ctx.lang, 'builder.moveUp'), what, () => ctx.move(['approvalLine'], i, i - 1, [up, down]), { disabled: i === 0 })}
              ${smallButton(down, msg(ctx.lang, 'builder.moveDown'), what, () => ctx.move(['approvalLine'], i, i + 1, [down, up]), { disabled: i === steps.length - 1 })}
              ${smallButton(`${at}#remove`, msg(ctx.lang, 'builder.remove'), what, () => ctx.remove(['approvalLine'], i, what), { danger: true, disabled: steps.length === 1 })}
            </div>
          </div>
          ${errorsFor(ctx, at).html}
          <div class="row">
            ${textInput(ctx, ['approvalLine', i, 'id'], s.id, { label: msg(ctx.lang, 'builder.line.id'), hint: msg(ctx.lang, 'builder.slugHint', { example: 'review' }), width: 'short' })}
            ${select(ctx, ['approvalLine', i, 'kind'], s.kind, msg(ctx.lang, 'builder.line.kindLabel'), STEP_KINDS.map((k) => ({ value: k, label: msgOr(ctx.lang, `builder.line.kind.${k}`, 'builder.line.kind.review') })), (k) => {
              // parallel belongs to agree steps, delegation to the approve step: they go when the kind changes.
              const { parallel: _p, delegation: _d, ...rest } = s;
              ctx.set(['approvalLine', i], { ...rest, kind: k, ...(k === 'agree' && s.parallel !== undefined ? { parallel: s.parallel } : {}), ...(k === 'approve' && s.delegation ? { delegation: s.delegation } : {}) });
            })}
            ${'role' in s.assignee || !('userId' in s.assignee)
              ? select(ctx, ['approvalLine', i, 'assignee'], role, msg(ctx.lang, 'builder.line.role'), roleOptions(ctx.lang, ctx.roles, role), (r) => ctx.set(['approvalLine', i, 'assignee'], { ...s.assignee, role: r }))
              : html`<p class="hint">${msg(ctx.lang, 'builder.line.person', { id: (s.assignee as { userId: string }).userId })}</p>`}
          </div>
          ${s.kind === 'agree' ? checkbox(ctx, ['approvalLine', i, 'parallel'], s.parallel === true, msg(ctx.lang, 'builder.line.parallel')) : nothing}
        </section></li>`;
      })}
    </ol>
    <button type="button" class="secondary" id=${`${id}#add`} @click=${add}>${msg(ctx.lang, 'builder.line.add')}</button>
  </div>`;
}

/** The text parts a document of each kind may have: core's rule (DOCUMENT_PARTS), the parts of an act without a kind being the ones no kind forbids. */
function partsOf(kind: 'none' | 'decision' | 'certificate'): readonly (keyof DocumentSpec)[] {
  const forbidden: readonly (keyof DocumentSpec)[] = kind === 'none' ? ['dispositive', 'statement', 'reasoning', 'legalRemedy'] : DOCUMENT_PARTS[kind].forbidden;
  return DOCUMENT_TEXT_PARTS.filter((p) => !forbidden.includes(p));
}

/** The document issued on approval: template id, kind, title, the text of its parts, validity, the answers it lists. */
export function documentEditor(ctx: EditorContext): TemplateResult {
  const doc = ctx.def.document;
  const kind = doc.kind ?? 'none';
  const setKind = (k: string) => {
    const next: Record<string, unknown> = { ...doc };
    if (k === 'none') delete next.kind;
    else next.kind = k;
    // Parts the new kind does not have would be refused; they are dropped (undo brings them back).
    for (const p of ['dispositive', 'statement', 'reasoning', 'legalRemedy'] as const) {
      if (!partsOf(k as 'none' | 'decision' | 'certificate').includes(p)) delete next[p];
    }
    ctx.set(['document'], next);
  };
  const facts = doc.facts ?? [];
  const factsId = '/document/facts';
  const factsErrors = errorsFor(ctx, factsId);
  const answerable = ctx.def.fields.filter((f) => f.type !== 'file' && f.type !== 'group');
  return html`<div class="row">
      ${textInput(ctx, ['document', 'template'], doc.template, { label: msg(ctx.lang, 'builder.doc.template'), hint: msg(ctx.lang, 'builder.slugHint', { example: 'building-permit' }), width: 'short' })}
      ${select(ctx, ['document', 'kind'], kind, msg(ctx.lang, 'builder.doc.kind'), [
        { value: 'none', label: msg(ctx.lang, 'builder.doc.kindNone') },
        { value: 'decision', label: msg(ctx.lang, 'builder.doc.kindDecision') },
        { value: 'certificate', label: msg(ctx.lang, 'builder.doc.kindCertificate') },
      ], setKind)}
      ${textInput(ctx, ['document', 'validityDays'], doc.validityDays, { label: msg(ctx.lang, 'builder.doc.validityDays'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
      ${select(ctx, ['document', 'script'], doc.script ?? 'sr-Cyrl', msg(ctx.lang, 'builder.doc.script'), [
        { value: 'sr-Cyrl', label: msg(ctx.lang, 'builder.text.cyrillic') },
        { value: 'sr-Latn', label: msg(ctx.lang, 'builder.text.latin') },
      ], (v) => ctx.set(['document', 'script'], v === 'sr-Cyrl' && doc.script === undefined ? undefined : v))}
    </div>
    ${textEditor(ctx, ['document', 'title'], doc.title, { label: msg(ctx.lang, 'builder.doc.title') })}
    <p class="hint">${msg(ctx.lang, 'builder.doc.placeholders', PLACEHOLDER_WORDS)}</p>
    ${partsOf(kind).map((p) => textEditor(ctx, ['document', p], doc[p] as DocumentSpec['title'] | undefined, { label: msgOr(ctx.lang, `builder.doc.part.${p}`, 'builder.doc.title'), multiline: p !== 'place', optional: true }))}
    <fieldset class="field ${factsErrors.invalid ? 'field--error' : ''}" data-anchor=${factsId}>
      <legend>${msg(ctx.lang, 'builder.doc.facts')}</legend>
      <div class="hint">${msg(ctx.lang, 'builder.doc.factsHint')}</div>
      ${factsErrors.html}
      ${answerable.length === 0 ? html`<p class="hint">${msg(ctx.lang, 'builder.fields.empty')}</p>` : nothing}
      ${answerable.map((f, k) => {
        const cid = k === 0 ? factsId : `${factsId}#${f.name}`;
        return html`<div class="check">
          <input type="checkbox" id=${cid} .checked=${facts.includes(f.name)}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              // Facts keep the form's order of questions.
              const next = answerable.map((x) => x.name).filter((n) => (n === f.name ? on : facts.includes(n)));
              ctx.set(['document', 'facts'], next.length ? next : undefined);
            }} />
          <label for=${cid}>${fieldTitle(ctx, f)}</label>
        </div>`;
      })}
    </fieldset>`;
}

/** Agencies that receive every issued document (ids), one per line, with Add and Remove. */
export function distributionEditor(ctx: EditorContext, knownAgencies: readonly string[]): TemplateResult {
  const agencies = ctx.def.distribution?.agencies ?? [];
  const id = '/distribution/agencies';
  const errors = errorsFor(ctx, id);
  const write = (next: readonly string[]) => ctx.set(['distribution'], next.length ? { ...ctx.def.distribution, agencies: next } : undefined);
  return html`<div class="field ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>
    ${errors.html}
    ${agencies.length === 0 ? html`<p class="hint" id=${id}>${msg(ctx.lang, 'builder.dist.none')}</p>` : nothing}
    ${knownAgencies.length ? html`<datalist id="known-agencies">${knownAgencies.map((a) => html`<option value=${a}></option>`)}</datalist>` : nothing}
    <ol class="agencies">
      ${agencies.map((a, i) => {
        const at = `${id}/${i}`;
        return html`<li class="row">
          ${textInput(ctx, ['distribution', 'agencies', i], a, { label: msg(ctx.lang, 'builder.dist.agency', { n: i + 1 }), hint: msg(ctx.lang, 'builder.slugHint', { example: 'rgz' }), width: 'medium', list: knownAgencies.length ? 'known-agencies' : undefined, parse: (raw) => raw })}
          ${smallButton(`${at}#remove`, msg(ctx.lang, 'builder.remove'), a || msg(ctx.lang, 'builder.dist.agency', { n: i + 1 }), () => {
            write(agencies.filter((_x, k) => k !== i));
            ctx.focus(`${id}#add`);
          }, { danger: true })}
        </li>`;
      })}
    </ol>
    <button type="button" class="secondary" id=${`${id}#add`} @click=${() => {
      write([...agencies, '']);
      ctx.focus(`${id}/${agencies.length}`);
    }}>${msg(ctx.lang, 'builder.dist.add')}</button>
  </div>`;
}

