/**
 * Overa elements: importing this module registers every element (each define module is
 * guarded, so loading Overa twice is harmless) and re-exports the classes.
 */
import './account/define.ts';

export { OveraAccount, type OveraSignedInDetail, type OveraSignedOutDetail, type OveraAccountState } from './account/define.ts';
export {
  OveraClient,
  clientFor,
  OveraError,
  OveraApiError,
  OveraNetworkError,
  OveraPasskeyError,
  type PersistMode,
  type Session,
  type PasskeyErrorCode,
} from './client/index.ts';
export { msg, resolveLang, normalizeLang, type Lang, type MessageKey } from './i18n/index.ts';
export type { User, UserKind, Problem, FieldError } from './client/index.ts';
// Serbian script conversion (DOM-free, from core): lets a page written once in Latin show Cyrillic.
export { latinToCyrillic, cyrillicToLatin, toScript, type SerbianScript } from './core/transliterate.ts';
