/**
 * What an issued document says, before any drawing: `documentLayout` turns an application, its
 * form definition, its signatures and decisions into a `DocumentLayout` (plain text in parts,
 * lines and rows), which pdf.ts draws and tags. Kept apart so the words can be read and tested
 * without a PDF.
 *
 * The form's `document` is the document's template (components/core/forms/definition.ts,
 * `DocumentSpec`; checked by checkDefinition): a `decision` (rešenje) has the parts the general
 * administrative procedure law gives it — a heading with the authority, the case number and the
 * date, the introduction with the legal basis, the dispositive part, the reasoning, the
 * instruction on legal remedy, then place, date, the official and the seal; a `certificate`
 * (uverenje) states the certified facts. `{field}` in a part is that field's answer,
 * `{comment:<step>}` the comment the official signed with that step's decision. A form without
 * `kind` gets a plain document that lists its answers. Documents are written in Serbian
 * Cyrillic (the official script) by default, with captions in Latin beside them;
 * `"script": "sr-Latn"` turns that round.
 */
import type { ApplicationData, DocumentKind, DocumentScript, FormDefinition, FormField, LocalizedText } from '../../components/core/forms/definition.ts';
import { itemTitle, localize } from '../../components/core/forms/definition.ts';
import { PLACEHOLDER } from '../../components/core/forms/check.ts';
import { visibleFields } from '../../components/core/forms/validate.ts';
import { cyrillicToLatin, latinToCyrillic, toScript } from '../../components/core/transliterate.ts';
import { AGENCY_TIME_ZONE } from '../../components/core/time-zone.ts';
import { formatFingerprint } from '../../components/core/fingerprint.ts';
import type { Message } from '../../components/i18n/format.ts';
// The Serbian (Latin) shared messages, for the role names: a plain table (its imports are types).
import serbianCommon from '../../components/i18n/sr-latn/common.ts';

export type { DocumentScript } from '../../components/core/forms/definition.ts';

// ---------------------------------------------------------------------------------------------
// The layout

/** One row of a table: a caption and its value (the value may span several lines). */
export interface LayoutRow {
  label: string;
  value: string;
}

/** One signature on the approval page. */
export interface LayoutSignature {
  signer: string;
  role: string;
  action: string;
  at: string;
  /** "delegated" / "proxy" marks, in words; null when the signer acted in their own right. */
  mandate: string | null;
  fingerprint: string;
  signatureId: string;
}

/** A part of an act under its own heading (the reasoning, the instruction on legal remedy). */
export interface LayoutPart {
  heading: string;
  paragraphs: string[];
}

/**
 * Everything a document says, in reading order; pdf.ts only lays it out and tags it (the
 * heading and the title as headings, paragraphs as paragraphs, rows as a table).
 */
export interface DocumentLayout {
  script: DocumentScript;
  /** BCP 47 tag for the PDF's /Lang. */
  lang: string;
  /** null: a plain document listing the answers. */
  kind: DocumentKind | null;
  /** The authority (both scripts) and the act's number, date and place. */
  header: { country: string; agency: string; secondary: string; lines: string[] };
  /** The introduction (uvod): legal basis, on whose request. */
  introduction: string[];
  title: { primary: string; secondary: string };
  /** The dispositive part (decision) or the statement of the certified facts (certificate). */
  body: string[];
  /** The facts the body is about, caption | value. */
  rows: LayoutRow[];
  reasoning: LayoutPart | null;
  legalRemedy: LayoutPart | null;
  closing: string[];
  /** Place and date, the official who made the act (role, then name), the seal. */
  signOff: { placeDate: string; official: string[]; seal: string };
  facts: LayoutRow[];
  verification: { code: string; url: string; caption: string; hint: string };
  /** The line at the foot of every page ("Page {n} of {total}" is added by the drawing). */
  footer: string;
  approvals: {
    heading: string;
    intro: string[];
    captions: { signer: string; role: string; action: string; at: string; mandate: string; fingerprint: string };
    signatures: LayoutSignature[];
    seal: LayoutRow[];
    evidenceNote: string;
  };
  pageLabel: (n: number, total: number) => string;
  /** Metadata for the PDF's document information dictionary. */
  meta: { title: string; author: string; subject: string; keywords: string[] };
}

/** A signature as the issuance service found it, with what the approval page needs. */
export interface SignatureForLayout {
  id: string;
  signerName: string;
  signerKind: string;
  /** The role in which they signed (from the decision), else their roles. */
  role: string | null;
  action: string;
  signedAt: string;
  digest: string;
  mandate: { kind: 'delegated' | 'proxy'; onBehalfOf?: string | undefined } | null;
  /** A decision's approval step; absent for the applicant's signatures. */
  step?: string | undefined;
  /** The comment signed with a decision ('' for none). */
  comment?: string | undefined;
}

export interface LayoutInput {
  form: FormDefinition;
  agencyName: string;
  trackingNumber: string;
  data: ApplicationData;
  attachments: { id: string; field: string; filename: string; sha256: string }[];
  signatures: SignatureForLayout[];
  verificationCode: string;
  verificationUrl: string;
  issuedAt: number;
  validUntil: number | null;
  /**
   * The application's content digest (`sha256:`…, what the applicant's signature covers): its
   * fingerprint is printed with the facts, as a code check shows it.
   */
  contentDigest?: string;
  seal: { subject: string; issuer: string; fingerprint: string; timestamped: boolean };
}

const latinOf = new Map<string, string>();

/** The Latin form of fixed Cyrillic wording, transliterated once. */
function latin(cyrillic: string): string {
  let l = latinOf.get(cyrillic);
  if (l === undefined) {
    l = cyrillicToLatin(cyrillic);
    if (latinOf.size < 1000) latinOf.set(cyrillic, l);
  }
  return l;
}

/** Text in the document's script, from Cyrillic source words (Cyrillic → Latin is exact). */
function say(script: DocumentScript, cyrillic: string): string {
  return script === 'sr-Cyrl' ? cyrillic : latin(cyrillic);
}

/** `Датум издавања / Datum izdavanja`: the caption in the document's script, then the other. */
function caption(script: DocumentScript, cyrillic: string): string {
  return script === 'sr-Cyrl' ? `${cyrillic} / ${latin(cyrillic)}` : `${latin(cyrillic)} / ${cyrillic}`;
}

/** A name written in either script, in the document's script (for the agency name). */
function inScript(script: DocumentScript, text: string): string {
  return script === 'sr-Cyrl' ? latinToCyrillic(text) : cyrillicToLatin(text);
}

const BELGRADE_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: AGENCY_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const BELGRADE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: AGENCY_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset' });
const NUMBER = new Intl.NumberFormat('sr-Latn-RS', { maximumFractionDigits: 6 });

/** 27.11.2026. — the Serbian way, in Belgrade time. */
export function serbianDate(ms: number): string {
  return `${BELGRADE_DATE.format(new Date(ms)).replace(/\//g, '.')}.`;
}

/** 27.11.2026. 14:05:09 (GMT+1) */
export function serbianDateTime(ms: number): string {
  const parts = BELGRADE_TIME.formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${serbianDate(ms)} ${get('hour')}:${get('minute')}:${get('second')} (${get('timeZoneName')})`;
}

function isoDateToSerbian(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}.${m[2]}.${m[1]}.` : value;
}

/** A field's answer as text in the document's script (option labels localized; free text as typed). */
function answerText(field: FormField, value: ApplicationData[string] | undefined, script: DocumentScript, input: LayoutInput): string {
  if (value === undefined || value === '') return '';
  const option = (v: string) => {
    const o = field.options?.find((opt) => opt.value === v);
    return o ? localize(o.label, script) : v;
  };
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? NUMBER.format(value) : String(value);
    case 'date':
      return isoDateToSerbian(String(value));
    case 'select':
    case 'radio':
      return option(String(value));
    case 'checkbox':
      if (Array.isArray(value)) return value.map(option).join(', ');
      return value === true ? say(script, 'да') : say(script, 'не');
    case 'file': {
      const ids = Array.isArray(value) ? value : [];
      return ids.map((id) => {
        const a = input.attachments.find((x) => x.id === id);
        return a ? `${a.filename} (SHA-256 ${a.sha256.slice(0, 16)}…)` : id;
      }).join('\n');
    }
    case 'group': {
      // Item by item, one line each: "Сувласник 1: Име и презиме: Ана Анић; ЈМБГ: …".
      const items = Array.isArray(value) ? (value as readonly ApplicationData[]) : [];
      return items.map((item, i) => {
        const answers = (field.fields ?? [])
          .map((f) => [f, answerText(f, item[f.name], script, input)] as const)
          .filter(([, text]) => text !== '')
          .map(([f, text]) => `${localize(f.label, script).replace(/[?:]\s*$/, '')}: ${text}`);
        return `${itemTitle(field, i, script)}: ${answers.join('; ')}`;
      }).join('\n');
    }
    default:
      return String(value);
  }
}

/**
 * An agency role's name in the document's script, from the shared messages (`role.<id>`, the
 * names the inbox and the account box show), in lower case as the column's other words; an
 * agency's own role, which has no message, shows its id.
 */
function roleName(script: DocumentScript, id: string): string {
  const message: Message | undefined = (serbianCommon as Readonly<Record<string, Message>>)[`role.${id}`];
  if (typeof message !== 'string') return id;
  // "Referent" → "референт"; an initialism ("RGZ") keeps its capitals.
  const name = /^\p{Lu}\p{Ll}/u.test(message) ? message.charAt(0).toLocaleLowerCase('sr') + message.slice(1) : message;
  return inScript(script, name);
}

/** `clerk, urbanism` (an official's own roles, as the issuance service joins them) → their names. */
function roleNames(script: DocumentScript, roles: string): string {
  return roles.split(/,\s*/).filter(Boolean).map((r) => roleName(script, r)).join(', ');
}

const APPROVALS_INTRO = 'Захтев и одлуке по њему потписани су приступним кључевима (passkey). Сваки потпис је везан за садржај '
  + 'који покрива; отисак тог садржаја (SHA-256) наведен је уз потпис.';

const EVIDENCE_NOTE = 'Докази о потписима (WebAuthn) и подаци из захтева у канонском JSON облику налазе се у прилогу '
  + 'overa-evidence.json, који је обухваћен печатом.';

const ACTIONS: Record<string, string> = {
  submit: 'поднео захтев',
  review: 'прегледао',
  agree: 'дао сагласност',
  approve: 'одобрио',
  return: 'вратио на допуну',
  reject: 'одбио',
};

/** Text in the document's script with its placeholders filled, split into paragraphs at blank lines; empty ones dropped. */
function paragraphs(text: LocalizedText | undefined, script: DocumentScript, fill: (name: string) => string): string[] {
  if (text === undefined) return [];
  // The placeholders stand aside while the text is transliterated ({investorName} is no Serbian word).
  const names: string[] = [];
  const aside = (t: string) => t.replace(PLACEHOLDER, (_, name: string) => `\uE000${names.push(name) - 1}\uE001`);
  const kept: LocalizedText = typeof text === 'string' ? aside(text) : Object.fromEntries(Object.entries(text).map(([k, v]) => [k, aside(v ?? '')]));
  // A value that ends a sentence's dot ("26.11.2029.") takes the place of the dot after it.
  return localize(kept, script).replace(/\uE000(\d+)\uE001(\.?)/g, (_, i: string, dot: string) => {
    const value = fill(names[Number(i)]!);
    return value.endsWith('.') ? value : value + dot;
  })
    .split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
}

/** Capitalised as a line of its own ("начелник" → "Начелник"). */
const capitalised = (s: string) => s.charAt(0).toLocaleUpperCase('sr') + s.slice(1);

export function documentLayout(input: LayoutInput): DocumentLayout {
  const { form } = input;
  const spec = form.document;
  const script: DocumentScript = spec.script ?? 'sr-Cyrl';
  const kind = spec.kind ?? null;
  const visible = new Set(visibleFields(form, input.data).map((f) => f.name));
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  const answer = (name: string) => {
    const field = byName.get(name);
    return field && visible.has(name) ? answerText(field, input.data[name], script, input) : '';
  };
  const titleText = localize(spec.title, script);
  const otherScript: DocumentScript = script === 'sr-Cyrl' ? 'sr-Latn' : 'sr-Cyrl';
  const agency = inScript(script, input.agencyName);
  const issuedDate = serbianDate(input.issuedAt);
  const validUntil = input.validUntil === null ? say(script, 'без ограничења') : serbianDate(input.validUntil);
  // The latest decision of each step (a later round's decision replaces an earlier one).
  const lastOfStep = new Map<string, SignatureForLayout>();
  for (const s of input.signatures) if (s.step) lastOfStep.set(s.step, s);
  const fill = (name: string): string => {
    // The official's comment becomes part of the act: in the act's script.
    if (name.startsWith('comment:')) return toScript(lastOfStep.get(name.slice('comment:'.length))?.comment ?? '', script);
    switch (name) {
      case 'agency': return agency;
      case 'trackingNumber': return input.trackingNumber;
      case 'issuedDate': return issuedDate;
      case 'validUntil': return validUntil;
      default: return answer(name);
    }
  };
  const text = (t: LocalizedText | undefined) => paragraphs(t, script, fill);

  // The facts listed under the body: the template's, or for a plain document every answer.
  const names = spec.facts ?? (kind === null ? form.fields.map((f) => f.name) : []);
  const rows: LayoutRow[] = names
    .map((name) => byName.get(name)!)
    .filter((f) => visible.has(f.name) && answer(f.name) !== '')
    .map((f) => ({ label: localize(f.label, script), value: answer(f.name) }));

  const place = spec.place === undefined ? null : localize(spec.place, script);
  const facts: LayoutRow[] = [
    { label: caption(script, 'Број предмета'), value: input.trackingNumber },
    { label: caption(script, 'Датум издавања'), value: issuedDate },
    { label: caption(script, 'Важи до'), value: validUntil },
    { label: caption(script, 'Код за проверу'), value: input.verificationCode },
    ...(input.contentDigest ? [{ label: caption(script, 'Отисак садржаја'), value: formatFingerprint(input.contentDigest) }] : []),
  ];
  // For whom a delegated or proxy signer acted: a person's name, or the step's role id (a
  // delegated approval of a role's step), which is named like the signer's role.
  const forWhom = (onBehalfOf: string | undefined) => (onBehalfOf ? ` — ${roleName(script, onBehalfOf)}` : '');
  const signatures: LayoutSignature[] = input.signatures.map((s) => ({
    signer: s.signerName,
    role: s.role !== null ? roleNames(script, s.role) : s.signerKind === 'citizen' ? say(script, 'подносилац захтева') : '',
    action: ACTIONS[s.action] ? say(script, ACTIONS[s.action]!) : s.action,
    at: serbianDateTime(Date.parse(s.signedAt)),
    mandate: s.mandate === null ? null
      : s.mandate.kind === 'delegated'
        ? say(script, 'по овлашћењу (делегирано одобравање)') + forWhom(s.mandate.onBehalfOf)
        : say(script, 'замена одсутног службеника') + forWhom(s.mandate.onBehalfOf),
    fingerprint: formatFingerprint(s.digest),
    signatureId: s.id,
  }));
  const verificationHint = script === 'sr-Cyrl'
    ? 'Скенирајте QR код или унесите код на адреси испод да проверите да ли је документ веродостојан и важећи. / Skenirajte QR kod ili unesite kod na adresi ispod da proverite da li je dokument verodostojan i važeći.'
    : 'Skenirajte QR kod ili unesite kod na adresi ispod da proverite da li je dokument verodostojan i važeći. / Скенирајте QR код или унесите код на адреси испод да проверите да ли је документ веродостојан и важећи.';
  // Who made the act: the official whose decision approved it (the last approval).
  let approver: LayoutSignature | undefined;
  input.signatures.forEach((s, n) => { if (s.action === 'approve') approver = signatures[n]; });
  const official = approver ? [capitalised(approver.role || say(script, 'службено лице')), approver.signer, ...(approver.mandate ? [approver.mandate] : [])] : [];
  return {
    script,
    lang: script === 'sr-Cyrl' ? 'sr-Cyrl-RS' : 'sr-Latn-RS',
    kind,
    header: {
      country: caption(script, 'Република Србија'),
      agency,
      secondary: inScript(otherScript, input.agencyName),
      lines: [
        `${say(script, 'Број')}: ${input.trackingNumber}`,
        `${say(script, 'Датум')}: ${issuedDate}`,
        ...(place ? [place] : []),
      ],
    },
    introduction: text(spec.introduction),
    title: { primary: titleText.toLocaleUpperCase('sr'), secondary: localize(spec.title, otherScript) },
    body: text(kind === 'certificate' ? spec.statement : spec.dispositive),
    rows,
    reasoning: kind === 'decision' ? { heading: say(script, 'Образложење'), paragraphs: text(spec.reasoning) } : null,
    legalRemedy: kind === 'decision' ? { heading: say(script, 'Поука о правном леку'), paragraphs: text(spec.legalRemedy) } : null,
    closing: text(spec.closing),
    signOff: {
      placeDate: place ? `${place}, ${issuedDate}` : issuedDate,
      official,
      seal: `${say(script, 'Електронски печат')}: ${agency}`,
    },
    facts,
    verification: { code: input.verificationCode, url: input.verificationUrl, caption: caption(script, 'Код за проверу'), hint: verificationHint },
    footer: script === 'sr-Cyrl'
      ? `Електронски документ, запечаћен печатом: ${agency}. Штампани примерак проверите кодом ${input.verificationCode}.`
      : `Elektronski dokument, zapečaćen pečatom: ${agency}. Štampani primerak proverite kodom ${input.verificationCode}.`,
    approvals: {
      heading: caption(script, 'Потписи и одобрења'),
      intro: [say(script, APPROVALS_INTRO), say(otherScript, APPROVALS_INTRO)],
      captions: {
        signer: caption(script, 'Потписник'),
        role: caption(script, 'Улога'),
        action: caption(script, 'Радња'),
        at: caption(script, 'Време'),
        mandate: caption(script, 'Основ'),
        fingerprint: caption(script, 'Отисак садржаја'),
      },
      signatures,
      seal: [
        { label: caption(script, 'Печат'), value: input.seal.subject },
        { label: caption(script, 'Издавалац сертификата'), value: input.seal.issuer },
        { label: caption(script, 'Отисак сертификата (SHA-256)'), value: formatFingerprint(input.seal.fingerprint, { full: true }) },
        { label: caption(script, 'Временски жиг'), value: input.seal.timestamped ? say(script, 'да (RFC 3161)') : say(script, 'не') },
      ],
      evidenceNote: `${say(script, EVIDENCE_NOTE)} / ${say(otherScript, EVIDENCE_NOTE)}`,
    },
    pageLabel: (n, total) => (script === 'sr-Cyrl' ? `Страна ${n} од ${total}` : `Strana ${n} od ${total}`),
    meta: {
      title: `${titleText} — ${input.trackingNumber}`,
      author: input.agencyName,
      subject: localize(form.document.title, 'sr-Latn'),
      keywords: [input.trackingNumber, input.verificationCode],
    },
  };
}
