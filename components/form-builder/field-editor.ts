import { html, nothing, type TemplateResult } from 'lit';
import type { Condition, ConditionValue, FieldOption, When } from '../core/forms/definition.ts';
import { localize } from '../core/forms/definition.ts';
import { msg, msgOr } from '../i18n/index.ts';
import { PREFILL_SOURCES, type BuilderField, type BuilderFieldType } from './contract-types.ts';
import { checkbox, errorsFor, optionalText, parseNumber, select, smallButton, textInput, type EditorContext } from './context.ts';
import { BUILDER_FIELD_TYPES, appliesTo, changeType, newField, pointer, type Path } from './model.ts';
import { textEditor } from './text-editor.ts';

/** A field's name and label as the builder lists it ("Ime (name)"). */
export function fieldTitle(ctx: EditorContext, f: BuilderField): string {
  const label = localize(f.label ?? '', ctx.lang).trim();
  return label ? `${label} (${f.name})` : f.name;
}

const typeName = (ctx: EditorContext, t: BuilderFieldType) => msgOr(ctx.lang, `builder.type.${t}`, 'builder.type.text');

/**
 * The list of questions at `path` (the form's, or one repeating group's): each question's
 * editor with Move up / Move down / Remove, and "Add a question" under them.
 */
export function fieldList(ctx: EditorContext, path: Path, fields: readonly BuilderField[], scope: readonly BuilderField[], nested: boolean): TemplateResult {
  const id = pointer(path);
  const errors = errorsFor(ctx, id);
  return html`<div class="field-list ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>
    ${errors.html}
    ${fields.length === 0 ? html`<p class="empty">${msg(ctx.lang, nested ? 'builder.fields.emptyGroup' : 'builder.fields.empty')}</p>` : nothing}
    <ol class="cards">
      ${fields.map((f, i) => html`<li>${fieldEditor(ctx, [...path, i], f, i, fields, scope, nested)}</li>`)}
    </ol>
    <button type="button" class="secondary" id=${`${id}#add`} @click=${() => ctx.insert(path, newField([...scope, ...fields]))}>
      ${msg(ctx.lang, nested ? 'builder.fields.addToGroup' : 'builder.fields.add')}
    </button>
  </div>`;
}

function fieldEditor(ctx: EditorContext, path: Path, f: BuilderField, index: number, siblings: readonly BuilderField[], scope: readonly BuilderField[], nested: boolean): TemplateResult {
  const id = pointer(path);
  const listPath = path.slice(0, -1);
  const title = fieldTitle(ctx, f);
  const errors = errorsFor(ctx, id);
  // An item of a group takes no group and no file (core's checkDefinition refuses both); a type already chosen stays listed so its error shows.
  const types = nested ? BUILDER_FIELD_TYPES.filter((t) => (t !== 'group' && t !== 'file') || t === f.type) : BUILDER_FIELD_TYPES;
  // Prefill as core allows it: top-level only, an email field from the e-mail, a text field from a name (a value set otherwise stays listed, with core's error).
  const prefills = PREFILL_SOURCES.filter((s) => s === f.prefill || (!nested && (s === 'email') === (f.type === 'email')));
  const up = `${id}#up`;
  const down = `${id}#down`;
  const textual = f.type === 'text' || f.type === 'textarea' || f.type === 'email' || f.type === 'tel';
  // Conditions may name earlier questions: of the same item first, then of the form (CONTRACTS.md).
  const earlier = [...(nested ? scope : []), ...siblings.slice(0, index)];
  return html`<section class="card" aria-labelledby=${`${id}#title`} data-anchor=${id}>
    <div class="card-head">
      <h4 id=${`${id}#title`}>${msg(ctx.lang, 'builder.fields.question', { n: index + 1 })}: ${title}</h4>
      <div class="actions">
        ${smallButton(up, msg(ctx.lang, 'builder.moveUp'), title, () => ctx.move(listPath, index, index - 1, [up, down]), { disabled: index === 0 })}
        ${smallButton(down, msg(ctx.lang, 'builder.moveDown'), title, () => ctx.move(listPath, index, index + 1, [down, up]), { disabled: index === siblings.length - 1 })}
        ${smallButton(`${id}#remove`, msg(ctx.lang, 'builder.remove'), title, () => ctx.remove(listPath, index, title), { danger: true })}
      </div>
    </div>
    ${errors.html}
    <div class="row">
      ${textInput(ctx, [...path, 'name'], f.name, { label: msg(ctx.lang, 'builder.field.name'), hint: msg(ctx.lang, 'builder.field.nameHint', { example: 'ownerJmbg' }), width: 'short' })}
      ${select(ctx, [...path, 'type'], f.type, msg(ctx.lang, 'builder.field.type'), types.map((t) => ({ value: t, label: typeName(ctx, t) })), (t) => ctx.set(path, changeType(f, t as BuilderFieldType)))}
    </div>
    ${textEditor(ctx, [...path, 'label'], f.label, { label: msg(ctx.lang, f.type === 'checkbox' && !f.options ? 'builder.field.checkboxLabel' : 'builder.field.label') })}
    ${textEditor(ctx, [...path, 'hint'], f.hint, { label: msg(ctx.lang, 'builder.field.hint'), multiline: true, optional: true })}
    ${checkbox(ctx, [...path, 'required'], f.required === true, msg(ctx.lang, 'builder.field.required'))}
    ${textual ? lengthAndPattern(ctx, path, f) : nothing}
    ${f.type === 'text' ? validators(ctx, path, f) : nothing}
    ${f.type === 'number' ? html`<div class="row">
          ${textInput(ctx, [...path, 'min'], f.min, { label: msg(ctx.lang, 'builder.field.min'), width: 'short', inputmode: 'decimal', parse: parseNumber })}
          ${textInput(ctx, [...path, 'max'], f.max, { label: msg(ctx.lang, 'builder.field.max'), width: 'short', inputmode: 'decimal', parse: parseNumber })}
        </div>` : nothing}
    ${f.type === 'date' ? html`<div class="row">
          ${textInput(ctx, [...path, 'min'], f.min, { label: msg(ctx.lang, 'builder.field.earliest'), hint: msg(ctx.lang, 'builder.field.dateHint', { today: 'today', example: 'today-18y' }), width: 'short', parse: optionalText })}
          ${textInput(ctx, [...path, 'max'], f.max, { label: msg(ctx.lang, 'builder.field.latest'), hint: msg(ctx.lang, 'builder.field.dateHint', { today: 'today', example: 'today-18y' }), width: 'short', parse: optionalText })}
        </div>` : nothing}
    ${appliesTo('options', f.type) ? options(ctx, path, f) : nothing}
    ${f.type === 'file' ? fileRules(ctx, path, f) : nothing}
    ${f.type === 'group' ? group(ctx, path, f, siblings) : nothing}
    ${appliesTo('prefill', f.type) && prefills.length > 0
      ? select(ctx, [...path, 'prefill'], f.prefill ?? '', msg(ctx.lang, 'builder.field.prefill'), [
          { value: '', label: msg(ctx.lang, 'builder.field.prefillNone') },
          ...prefills.map((s) => ({ value: s, label: msgOr(ctx.lang, `builder.prefill.${s}`, 'builder.field.prefill') })),
        ])
      : nothing}
    ${appliesTo('matchesJmbg', f.type) ? matchesJmbg(ctx, path, f, [...scope, ...siblings]) : nothing}
    ${conditions(ctx, [...path, 'when'], f.when, earlier, msg(ctx.lang, 'builder.when.legend'))}
  </section>`;
}

function lengthAndPattern(ctx: EditorContext, path: Path, f: BuilderField): TemplateResult {
  return html`<div class="row">
      ${textInput(ctx, [...path, 'minLength'], f.minLength, { label: msg(ctx.lang, 'builder.field.minLength'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
      ${textInput(ctx, [...path, 'maxLength'], f.maxLength, { label: msg(ctx.lang, 'builder.field.maxLength'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
    </div>
    ${textInput(ctx, [...path, 'pattern'], f.pattern, { label: msg(ctx.lang, 'builder.field.pattern'), hint: msg(ctx.lang, 'builder.field.patternHint', { example: '[0-9]{4}' }), width: 'long', parse: optionalText })}
    ${f.pattern !== undefined || f.patternMessage !== undefined
      ? textEditor(ctx, [...path, 'patternMessage'], f.patternMessage, { label: msg(ctx.lang, 'builder.field.patternMessage'), optional: true })
      : nothing}`;
}

function validators(ctx: EditorContext, path: Path, f: BuilderField): TemplateResult {
  const id = pointer([...path, 'validators']);
  const errors = errorsFor(ctx, id);
  const current = f.validators ?? [];
  const toggle = (v: 'jmbg' | 'pib', on: boolean) => {
    const next = on ? [...current.filter((x) => x !== v), v] : current.filter((x) => x !== v);
    ctx.set([...path, 'validators'], next.length ? next : undefined);
  };
  return html`<fieldset class="field ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>
    <legend>${msg(ctx.lang, 'builder.field.validators')}</legend>
    ${errors.html}
    ${(['jmbg', 'pib'] as const).map(
      (v, i) => html`<div class="check">
        <input type="checkbox" id=${i === 0 ? id : `${id}#${v}`} .checked=${current.includes(v)} @change=${(e: Event) => toggle(v, (e.target as HTMLInputElement).checked)} />
        <label for=${i === 0 ? id : `${id}#${v}`}>${msg(ctx.lang, v === 'jmbg' ? 'builder.field.jmbg' : 'builder.field.pib')}</label>
      </div>`,
    )}
  </fieldset>`;
}

function options(ctx: EditorContext, path: Path, f: BuilderField): TemplateResult {
  const listPath = [...path, 'options'];
  const id = pointer(listPath);
  const errors = errorsFor(ctx, id);
  const list: readonly FieldOption[] = f.options ?? [];
  const add = () => ctx.insert(listPath, { value: `option${list.length + 1}`, label: '' });
  return html`<fieldset class="field options ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>
    <legend>${msg(ctx.lang, f.type === 'checkbox' ? 'builder.options.checkboxLegend' : 'builder.options.legend')}</legend>
    ${f.type === 'checkbox' ? html`<div class="hint">${msg(ctx.lang, 'builder.options.checkboxHint')}</div>` : nothing}
    ${errors.html}
    <ol class="options-list">
      ${list.map((o, j) => {
        const at = [...listPath, j];
        const what = `${msg(ctx.lang, 'builder.options.option', { n: j + 1 })} ${o.value}`;
        const up = `${pointer(at)}#up`;
        const down = `${pointer(at)}#down`;
        return html`<li class="option" data-anchor=${pointer(at)}>
          ${textInput(ctx, [...at, 'value'], o.value, { label: msg(ctx.lang, 'builder.options.value', { n: j + 1 }), width: 'short' })}
          ${textEditor(ctx, [...at, 'label'], o.label, { label: msg(ctx.lang, 'builder.options.label', { n: j + 1 }) })}
          <div class="actions">
            ${smallButton(up, msg(ctx.lang, 'builder.moveUp'), what, () => ctx.move(listPath, j, j - 1, [up, down]), { disabled: j === 0 })}
            ${smallButton(down, msg(ctx.lang, 'builder.moveDown'), what, () => ctx.move(listPath, j, j + 1, [down, up]), { disabled: j === list.length - 1 })}
            ${smallButton(`${pointer(at)}#remove`, msg(ctx.lang, 'builder.remove'), what, () => ctx.remove(listPath, j, what, f.type === 'checkbox'), { danger: true })}
          </div>
        </li>`;
      })}
    </ol>
    <button type="button" class="secondary" id=${`${id}#add`} @click=${add}>${msg(ctx.lang, 'builder.options.add')}</button>
  </fieldset>`;
}

function fileRules(ctx: EditorContext, path: Path, f: BuilderField): TemplateResult {
  return html`${textInput(ctx, [...path, 'accept'], f.accept?.join(', '), {
      label: msg(ctx.lang, 'builder.field.accept'),
      hint: msg(ctx.lang, 'builder.field.acceptHint', { example: 'application/pdf, image/*' }),
      width: 'long',
      parse: (raw) => {
        const types = raw.split(',').map((t) => t.trim()).filter(Boolean);
        return types.length ? types : undefined;
      },
    })}
    <div class="row">
      ${textInput(ctx, [...path, 'maxSize'], f.maxSize, { label: msg(ctx.lang, 'builder.field.maxSize'), hint: msg(ctx.lang, 'builder.field.maxSizeHint'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
      ${textInput(ctx, [...path, 'minFiles'], f.minFiles, { label: msg(ctx.lang, 'builder.field.minFiles'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
      ${textInput(ctx, [...path, 'maxFiles'], f.maxFiles, { label: msg(ctx.lang, 'builder.field.maxFiles'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
    </div>`;
}

/** A repeating group (CONTRACTS.md, owner `pg`): its item label, counts and the questions of one item. */
function group(ctx: EditorContext, path: Path, f: BuilderField, topLevel: readonly BuilderField[]): TemplateResult {
  return html`<div class="group">
    ${textEditor(ctx, [...path, 'itemLabel'], f.itemLabel, { label: msg(ctx.lang, 'builder.group.itemLabel'), hint: msg(ctx.lang, 'builder.group.itemLabelHint'), optional: true })}
    <div class="row">
      ${textInput(ctx, [...path, 'minItems'], f.minItems, { label: msg(ctx.lang, 'builder.group.minItems'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
      ${textInput(ctx, [...path, 'maxItems'], f.maxItems, { label: msg(ctx.lang, 'builder.group.maxItems'), width: 'short', inputmode: 'numeric', parse: parseNumber })}
    </div>
    <h5>${msg(ctx.lang, 'builder.group.questions')}</h5>
    ${fieldList(ctx, [...path, 'fields'], f.fields ?? [], topLevel, true)}
  </div>`;
}

function matchesJmbg(ctx: EditorContext, path: Path, f: BuilderField, all: readonly BuilderField[]): TemplateResult {
  const jmbgFields = all.filter((x) => x.validators?.includes('jmbg'));
  if (jmbgFields.length === 0 && f.matchesJmbg === undefined) return html``;
  const names = jmbgFields.map((x) => x.name);
  if (f.matchesJmbg !== undefined && !names.includes(f.matchesJmbg)) names.push(f.matchesJmbg);
  return select(ctx, [...path, 'matchesJmbg'], f.matchesJmbg ?? '', msg(ctx.lang, 'builder.field.matchesJmbg'), [
    { value: '', label: msg(ctx.lang, 'builder.field.matchesJmbgNone') },
    ...names.map((n) => ({ value: n, label: n })),
  ], undefined, msg(ctx.lang, f.type === 'date' ? 'builder.field.matchesJmbgDate' : 'builder.field.matchesJmbgSex', { male: 'male', female: 'female' }));
}

// ------------------------------------------------------------------ conditions

type Operator = 'equals' | 'in' | 'filled' | 'empty';

const asList = (when: When | undefined): readonly Condition[] => (when === undefined ? [] : Array.isArray(when) ? when : [when as Condition]);

/** One condition's value typed the way the field it names answers (a number for a number field). */
function typedValue(target: BuilderField | undefined, raw: string): ConditionValue {
  if (target?.type === 'number') {
    const n = parseNumber(raw);
    return typeof n === 'number' ? n : raw;
  }
  if (target?.type === 'checkbox' && !target.options) return raw === 'true';
  return raw;
}

/**
 * "Show only when": a list of conditions on earlier questions, all of which must hold. One
 * condition is stored as an object, several as an array, none as no `when` at all.
 */
export function conditions(ctx: EditorContext, path: Path, when: When | undefined, candidates: readonly BuilderField[], legend: string): TemplateResult {
  const id = pointer(path);
  const errors = errorsFor(ctx, id);
  const list = asList(when);
  const write = (next: readonly Condition[]) => ctx.set(path, next.length === 0 ? undefined : next.length === 1 ? next[0] : next);
  const replace = (j: number, c: Condition) => write(list.map((x, k) => (k === j ? c : x)));
  const usable = candidates.filter((c) => c.type !== 'file' && c.type !== 'group');
  const add = () => {
    const target = usable[usable.length - 1];
    if (!target) return;
    write([...list, { field: target.name, filled: true }]);
    // The new condition's first control: with one condition its ids have no index (the JSON has no array).
    ctx.focus(list.length === 0 ? `${id}/field` : `${id}/${list.length}/field`);
  };
  return html`<fieldset class="field conditions ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>
    <legend>${legend}</legend>
    ${errors.html}
    ${list.length === 0 ? html`<p class="hint" id=${id}>${msg(ctx.lang, 'builder.when.always')}</p>` : nothing}
    <ol class="conditions-list">
      ${list.map((c, j) => {
        const at = `${id}/${j}`;
        const target = usable.find((x) => x.name === c.field) ?? candidates.find((x) => x.name === c.field);
        const op: Operator = 'filled' in c ? (c.filled ? 'filled' : 'empty') : 'in' in c ? 'in' : 'equals';
        const setOp = (next: Operator) => {
          if (next === 'filled' || next === 'empty') replace(j, { field: c.field, filled: next === 'filled' });
          else if (next === 'in') replace(j, { field: c.field, in: target?.options ? [target.options[0]?.value ?? ''] : [] });
          else replace(j, { field: c.field, equals: target?.options?.[0]?.value ?? (target?.type === 'checkbox' ? true : target?.type === 'number' ? 0 : '') });
        };
        const fieldChoices = usable.map((x) => ({ value: x.name, label: fieldTitle(ctx, x) }));
        if (!usable.some((x) => x.name === c.field)) fieldChoices.unshift({ value: c.field, label: c.field });
        return html`<li class="condition">
          <div class="row">
            ${select(ctx, [...path, ...(list.length > 1 ? [j] : []), 'field'], c.field, msg(ctx.lang, 'builder.when.field'), fieldChoices, (name) => replace(j, { field: name, filled: true }))}
            ${select(ctx, [...path, ...(list.length > 1 ? [j] : []), 'op'], op, msg(ctx.lang, 'builder.when.operator'), [
              { value: 'equals', label: msg(ctx.lang, 'builder.when.equals') },
              ...(target?.options ? [{ value: 'in', label: msg(ctx.lang, 'builder.when.in') }] : []),
              { value: 'filled', label: msg(ctx.lang, 'builder.when.filled') },
              { value: 'empty', label: msg(ctx.lang, 'builder.when.empty') },
            ], (v) => setOp(v as Operator))}
            ${'equals' in c ? conditionValue(ctx, `${at}/equals`, target, c.equals, (v) => replace(j, { field: c.field, equals: v })) : nothing}
          </div>
          ${'in' in c ? inValues(ctx, `${at}/in`, target, c.in, (vs) => replace(j, { field: c.field, in: vs })) : nothing}
          ${smallButton(`${at}#remove`, msg(ctx.lang, 'builder.when.remove'), fieldTitle(ctx, target ?? ({ name: c.field, label: '' } as BuilderField)), () => {
            write(list.filter((_x, k) => k !== j));
            ctx.focus(`${id}#add`);
          }, { danger: true })}
        </li>`;
      })}
    </ol>
    ${usable.length === 0
      ? html`<p class="hint">${msg(ctx.lang, 'builder.when.noneEarlier')}</p>`
      : html`<button type="button" class="secondary" id=${`${id}#add`} @click=${add}>${msg(ctx.lang, 'builder.when.add')}</button>`}
  </fieldset>`;
}

function conditionValue(ctx: EditorContext, id: string, target: BuilderField | undefined, value: ConditionValue, onChange: (v: ConditionValue) => void): TemplateResult {
  const label = msg(ctx.lang, 'builder.when.value');
  if (target?.options) {
    return html`<div class="field"><label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
        ${target.options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${localize(o.label, ctx.lang) || o.value}</option>`)}
      </select></div>`;
  }
  if (target?.type === 'checkbox') {
    return html`<div class="field"><label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value === 'true')}>
        <option value="true" ?selected=${value === true}>${msg(ctx.lang, 'builder.when.checked')}</option>
        <option value="false" ?selected=${value === false}>${msg(ctx.lang, 'builder.when.unchecked')}</option>
      </select></div>`;
  }
  return html`<div class="field"><label for=${id}>${label}</label>
    <input id=${id} class="short" type="text" .value=${String(value)} @input=${(e: InputEvent) => onChange(typedValue(target, (e.target as HTMLInputElement).value))} /></div>`;
}

function inValues(ctx: EditorContext, id: string, target: BuilderField | undefined, values: readonly ConditionValue[], onChange: (v: ConditionValue[]) => void): TemplateResult {
  const options = target?.options ?? [];
  return html`<fieldset class="field in-values">
    <legend>${msg(ctx.lang, 'builder.when.anyOf')}</legend>
    ${options.map((o, k) => {
      const cid = k === 0 ? id : `${id}#${k}`;
      return html`<div class="check">
        <input type="checkbox" id=${cid} .checked=${values.includes(o.value)}
          @change=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? [...values, o.value] : values.filter((v) => v !== o.value))} />
        <label for=${cid}>${localize(o.label, ctx.lang) || o.value}</label>
      </div>`;
    })}
  </fieldset>`;
}
