/**
 * The later views of `<overa-account>` as one chunk: the signed-in person's passkeys
 * (passkeys-view.ts), their e-mail notifications (../shared/mail-view.ts, shared with the
 * form's receipt) and the recovery code form (recovery-view.ts). None is in the first load
 * (the passkeys and recovery are behind a disclosure, mail is drawn once `GET me` says it is
 * offered); one chunk rather than several, because more lazy chunks make esbuild split the code
 * they share with the element into more first-load files (each gzipped on its own: larger in
 * all than one). Loaded when a disclosure opens or a person is signed in, and on idle after the
 * first render (LazyView).
 */
import { accountPasskeyMessages } from '../i18n/en/account-passkeys.ts';
import { accountRecoveryMessages } from '../i18n/en/account-recovery.ts';
import { mailMessages } from '../i18n/en/mail.ts';
import { styles as passkeyStyles } from './passkeys-view.ts';
import { styles as mailStyles } from '../shared/mail-view.ts';

export { PasskeyManager } from './passkeys-view.ts';
export { renderRecovery } from './recovery-view.ts';
export { MailManager } from '../shared/mail-view.ts';

export const styles = [...passkeyStyles, ...mailStyles];
export const messages = [accountPasskeyMessages, accountRecoveryMessages, mailMessages];
