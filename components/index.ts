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
export { msg, resolveLang, normalizeLang, type Lang, type MessageKey } from './i18n/index.ts';
export type { User, UserKind, Problem, FieldError } from './client/index.ts';
// Serbian script conversion (DOM-free, from core): lets a page written once in Latin show Cyrillic.
export { latinToCyrillic, cyrillicToLatin, toScript, type SerbianScript } from './core/transliterate.ts';
