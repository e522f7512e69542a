/**
 * Each element loads only the message areas it names in `static messages` (components/i18n/en/*),
 * and each of its lazily loaded views the areas it names in `export const messages`
 * (components/shared/lazy-view.ts), so a key from an area neither names would show as the raw
 * key (and only in Serbian would it even load late). This reads every element folder's sources
 * and checks that every message key they use, literal or built from a prefix
 * (`applicationStatus.${s}`), belongs to an area the element or one of its views names (the
 * shared area always counts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as areas from '../../components/i18n/all.ts';
import { accountMessages } from '../../components/i18n/en/account.ts';
import { applicationsMessages } from '../../components/i18n/en/applications.ts';
import { commonMessages } from '../../components/i18n/en/common.ts';
import { formMessages } from '../../components/i18n/en/form.ts';
import { inboxMessages } from '../../components/i18n/en/inbox.ts';
import { myAppsMessages } from '../../components/i18n/en/my-apps.ts';
import { signMessages } from '../../components/i18n/en/sign.ts';
import { statsMessages } from '../../components/i18n/en/stats.ts';
import { validationMessages } from '../../components/i18n/en/validation.ts';
import { verifyMessages } from '../../components/i18n/en/verify.ts';
import { myAppsDetailMessages } from '../../components/i18n/en/my-apps-detail.ts';
import { historyMessages } from '../../components/i18n/en/history.ts';
import { passkeyMessages } from '../../components/i18n/en/passkey.ts';
import { verifyVerdictMessages } from '../../components/i18n/en/verify-verdict.ts';
import { inboxCaseMessages } from '../../components/i18n/en/inbox-case.ts';
import { inboxReceptionMessages } from '../../components/i18n/en/inbox-reception.ts';
import { formSendMessages } from '../../components/i18n/en/form-send.ts';
import { formGroupMessages } from '../../components/i18n/en/form-group.ts';
import { formFileMessages } from '../../components/i18n/en/form-file.ts';
import { verifyDocumentMessages } from '../../components/i18n/en/verify-document.ts';
import { verifyTimeMessages } from '../../components/i18n/en/verify-time.ts';
import { verifyQualificationMessages } from '../../components/i18n/en/verify-qualification.ts';
import { accountPasskeyMessages } from '../../components/i18n/en/account-passkeys.ts';
import { accountRecoveryMessages } from '../../components/i18n/en/account-recovery.ts';
import { formBuilderMessages } from '../../components/i18n/en/form-builder.ts';
import { mailMessages } from '../../components/i18n/en/mail.ts';
import { paymentMessages } from '../../components/i18n/en/payment.ts';
import type { MessageBundle } from '../../components/i18n/registry.ts';

const COMPONENTS = fileURLToPath(new URL('../../components', import.meta.url));

const BY_NAME: Record<string, MessageBundle> = {
  accountMessages, applicationsMessages, commonMessages, formMessages, inboxMessages,
  myAppsMessages, signMessages, statsMessages, validationMessages, verifyMessages,
  myAppsDetailMessages,
  historyMessages,
  passkeyMessages,
  verifyVerdictMessages,
  inboxCaseMessages,
  inboxReceptionMessages,
  formSendMessages,
  formGroupMessages,
  formFileMessages,
  verifyQualificationMessages,
  verifyDocumentMessages,
  verifyTimeMessages,
  accountPasskeyMessages,
  accountRecoveryMessages,
  formBuilderMessages,
  mailMessages,
  paymentMessages,
};

test('every area is listed once in ALL_MESSAGE_AREAS', () => {
  assert.deepEqual(new Set(areas.ALL_MESSAGE_AREAS), new Set(Object.values(BY_NAME)));
});

const elements = readdirSync(COMPONENTS).filter((d) => existsSync(join(COMPONENTS, d, 'define.ts')));

for (const element of elements) {
  test(`<overa-${element}> names the area of every message it uses`, () => {
    const dir = join(COMPONENTS, element);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8'));
    const all = sources.join('\n');
    assert.ok(/static override messages = \[/.test(all), `<overa-${element}> declares static messages`);
    const declared = [...all.matchAll(/(?:static override|export const) messages = \[([^\]]*)\]/g)];
    // A view chunk that gathers other views' areas spreads their lists (`...caseMessages`): those are declared, and checked, where they are made.
    const names = declared.flatMap((d) => d[1]!.split(',')).map((n) => n.trim()).filter((n) => n && !n.startsWith('...'));
    for (const n of names) assert.ok(BY_NAME[n], `${n} is an area`);
    const keys = new Set(names.flatMap((n) => Object.keys(BY_NAME[n]!.en)));
    const allKeys = new Set(Object.values(BY_NAME).flatMap((b) => Object.keys(b.en)));
    let used = 0;
    for (const source of sources) {
      // Literal keys: any quoted string that is a message key somewhere.
      for (const [, key] of source.matchAll(/'([a-zA-Z]+(?:\.[a-zA-Z0-9]+)+)'/g)) {
        if (!allKeys.has(key!)) continue;
        used++;
        assert.ok(keys.has(key!), `<overa-${element}> uses "${key}" but does not name its area`);
      }
      // Keys built at run time from a prefix: some key of a named area must start with it.
      for (const [, prefix] of source.matchAll(/`([a-zA-Z]+(?:\.[a-zA-Z]+)*\.)\$\{/g)) {
        if (![...allKeys].some((k) => k.startsWith(prefix!))) continue;
        used++;
        assert.ok([...keys].some((k) => k.startsWith(prefix!)), `<overa-${element}> builds "${prefix}…" keys but names no area that has them`);
      }
    }
    assert.ok(used > 0, 'the check found the element\'s keys');
  });
}

test('the case history has words for the same actions in the inbox (official) and My applications (applicant)', () => {
  const actions = (table: Record<string, unknown>, prefix: string) =>
    Object.keys(table).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).filter((a) => a.includes('.')).sort();
  const inbox = actions(inboxCaseMessages.en, 'inbox.event.');
  const applicant = actions(historyMessages.en, 'history.').filter((a) => a !== 'application.updatedTimes');
  assert.deepEqual(applicant, inbox);
  assert.ok(inbox.includes('document.revoked'));
});
