/**
 * Overa elements: importing this module registers every element (each define module is
 * guarded, so loading Overa twice is harmless) and re-exports the classes.
 */
import './account/define.ts';
import './application-form/define.ts';
import './sign/define.ts';
import './approval-inbox/define.ts';
import './verify/define.ts';
import './my-applications/define.ts';
import './stats/define.ts';
import { lazyElement } from './shared/lazy-element.ts';

/**
 * `<overa-form-builder>` is for an agency's administrators: it is never part of the bundle's
 * first load (a citizen's page never downloads it). A page that has the tag when the bundle
 * runs gets it loaded (module scripts run after the document is parsed); a page that adds one
 * later calls `loadFormBuilder()` first, or imports `overa/form-builder/define`.
 */
export const loadFormBuilder: () => void = lazyElement('overa-form-builder', () => import('./form-builder/in-bundle.ts'));
if (typeof document !== 'undefined' && document.querySelector('overa-form-builder')) loadFormBuilder();

export { OveraAccount, type OveraSignedInDetail, type OveraSignedOutDetail, type OveraAccountState } from './account/define.ts';
export { OveraMyApplications, type OveraApplicationSelectedDetail, type OveraMyApplicationsState } from './my-applications/define.ts';
export {
  OveraApplicationForm,
  type OveraSubmittedDetail,
  type OveraInvalidDetail,
  type OveraApplicationFormStep,
} from './application-form/define.ts';
export { OveraSign, type OveraSignedDetail, type OveraSignState } from './sign/define.ts';
export {
  OveraApprovalInbox,
  type OveraCaseOpenedDetail,
  type OveraDecidedDetail,
  type OveraDocumentSentDetail,
  type OveraApprovalInboxState,
} from './approval-inbox/define.ts';
export { OveraVerify, type OveraVerifiedDetail, type OveraVerifyState, type Verdict } from './verify/define.ts';
export { OveraStats, type OveraStatsLoadedDetail, type OveraStatsState } from './stats/define.ts';
export {
  OveraClient,
  clientFor,
  OveraError,
  OveraApiError,
  OveraNetworkError,
  OveraOriginError,
  OveraPasskeyError,
  type PersistMode,
  type Session,
  type PasskeyErrorCode,
} from './client/index.ts';
// Types only: the builder's code stays in its own chunk.
export type { OveraFormBuilder, OveraFormSavedDetail, OveraFormPublishedDetail, BuilderDefinition } from './form-builder/define.ts';
export { msg, resolveLang, normalizeLang, type Lang, type MessageKey } from './i18n/index.ts';
export type { User, UserKind, Problem, FieldError } from './client/index.ts';
// Serbian script conversion (DOM-free, from core): lets a page written once in Latin show Cyrillic.
export { latinToCyrillic, cyrillicToLatin, toScript, type SerbianScript } from './core/transliterate.ts';
