/**
 * overa/client: the one HTTP client every Overa element uses (base URL, session token,
 * problem+json errors, passkey ceremonies). Depends only on core and @simplewebauthn/browser.
 */
export {
  OveraClient,
  clientFor,
  apiBaseFor,
  type PersistMode,
  type Session,
  type SessionListener,
  type RequestOptions,
  type RegisterOptionsResponse,
  type LoginOptionsResponse,
  type AuthResult,
  type SignInOptions,
} from './client.ts';
export {
  OveraError,
  OveraApiError,
  OveraNetworkError,
  OveraPasskeyError,
  passkeyError,
  problemCode,
  type PasskeyErrorCode,
} from './errors.ts';
export type { Problem, FieldError } from '../core/problem.ts';
export type { User, UserKind } from '../core/user.ts';
