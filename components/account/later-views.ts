/**
 * The later views of `<overa-account>` as one chunk: the signed-in person's passkeys
 * (passkeys-view.ts) and the recovery code form (recovery-view.ts). Both are reached by opening
 * a disclosure, so neither is in the first load; one chunk rather than two, because two lazy
 * chunks make esbuild split the code they share with the element into more first-load files
 * (each gzipped on its own: larger in all than one). Loaded when either disclosure opens, and on
 * idle after the first render (LazyView).
 */
import { accountPasskeyMessages } from '../i18n/en/account-passkeys.ts';
import { accountRecoveryMessages } from '../i18n/en/account-recovery.ts';

export { PasskeyManager, styles } from './passkeys-view.ts';
export { renderRecovery } from './recovery-view.ts';

export const messages = [accountPasskeyMessages, accountRecoveryMessages];
