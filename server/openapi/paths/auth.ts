import { API, empty, header, json, jsonBody, operation, pathParam, ref, type Paths } from '../common.ts';

const flow = (credential: string) => ({
  type: 'object',
  required: ['flowId', 'credential'],
  properties: { flowId: { type: 'string', minLength: 1, maxLength: 64 }, credential: { $ref: `#/components/schemas/${credential}` } },
});

/** Passkey accounts (docs/server.md, "Passkey accounts"), and `GET /me`. */
export const authPaths: Paths = {
  [`${API}/auth/register/options`]: {
    post: operation({
      operationId: 'registrationOptions',
      summary: 'Start a sign-up: options for navigator.credentials.create()',
      description: 'Resident key and user verification required, ES256/RS256. The flow is single-use and lives `challengeTtl` seconds. An invite code makes the new user an official (or admin) of its agency.',
      tag: 'auth',
      access: 'public',
      jsonParser: true,
      rateLimited: 'signUp',
      requestBody: jsonBody({
        type: 'object',
        required: ['displayName'],
        additionalProperties: false,
        properties: {
          displayName: { type: 'string', minLength: 1, maxLength: 100 },
          inviteCode: { type: 'string', maxLength: 64, description: 'A one-time invite (`overa official add`); separators and case do not matter' },
        },
      }),
      responses: { 200: json('Creation options and the flow to finish with', ref('RegistrationOptions')) },
      problems: { 400: '`displayName` missing or too long, `inviteCode` unknown, used or expired, a field the request does not have (`validation`, naming the field; `unknownField` for the last).' },
    }),
  },
  [`${API}/auth/register/verify`]: {
    post: operation({
      operationId: 'registrationVerify',
      summary: 'Finish a sign-up with the new passkey',
      tag: 'auth',
      access: 'public',
      jsonParser: true,
      requestBody: jsonBody(flow('RegistrationCredential')),
      responses: { 201: json('The account exists and is signed in', ref('Session')) },
      problems: {
        400: 'A bad body (`validation`); an unknown, used (`flow-invalid`) or expired (`flow-expired`) flow; an attestation that does not verify (`passkey-rejected`).',
        409: 'The passkey is already registered (`credential-exists`), or the invite was used meanwhile (`invite-used`).',
      },
    }),
  },
  [`${API}/auth/login/options`]: {
    post: operation({
      operationId: 'authenticationOptions',
      summary: 'Start a sign-in: options for navigator.credentials.get()',
      description: 'Discoverable credentials (no user named), user verification required. The body, if any, is ignored (`{}`).',
      tag: 'auth',
      access: 'public',
      jsonParser: true,
      rateLimited: 'signIn',
      requestBody: jsonBody({ type: 'object' }, undefined, false),
      responses: { 200: json('Request options and the flow to finish with', ref('AuthenticationOptions')) },
    }),
  },
  [`${API}/auth/login/verify`]: {
    post: operation({
      operationId: 'authenticationVerify',
      summary: 'Finish a sign-in with a passkey',
      tag: 'auth',
      access: 'public',
      jsonParser: true,
      requestBody: jsonBody(flow('AuthenticationCredential')),
      responses: { 200: json('Signed in', ref('Session')) },
      problems: {
        400: 'A bad body (`validation`); an unknown, used (`flow-invalid`) or expired (`flow-expired`) flow; a passkey not registered here (`unknown-passkey`); an assertion that does not verify, a counter that did not grow, a foreign user handle (`passkey-rejected`).',
      },
    }),
  },
  [`${API}/auth/recover/options`]: {
    post: operation({
      operationId: 'recoveryOptions',
      summary: 'Start an agency-assisted recovery: options to register a new passkey for the account a recovery code belongs to',
      description: 'The code comes from the agency (`overa accounts recover`) after it checked the person\'s identity; docs/security.md, "When every passkey is lost". Resident key and user verification required.',
      tag: 'auth',
      access: 'public',
      jsonParser: true,
      rateLimited: 'signUp',
      requestBody: jsonBody({
        type: 'object',
        required: ['recoveryCode'],
        additionalProperties: false,
        properties: { recoveryCode: { type: 'string', minLength: 1, maxLength: 64, description: 'Separators and case do not matter' } },
      }),
      responses: { 200: json('Creation options and the flow to finish with', ref('RegistrationOptions')) },
      problems: { 400: '`recoveryCode` missing, unknown, used or expired, or a field the request does not have (`validation`, naming the field).' },
    }),
  },
  [`${API}/auth/recover/verify`]: {
    post: operation({
      operationId: 'recoveryVerify',
      summary: 'Finish a recovery: the new passkey replaces the account\'s old ones (audit entry `user.recovered`)',
      description: 'In one transaction: the code is used up, the account\'s old passkeys are removed and its sessions ended, the new passkey is stored and the person is signed in.',
      tag: 'auth',
      access: 'public',
      jsonParser: true,
      requestBody: jsonBody(flow('RegistrationCredential')),
      responses: { 201: json('The account is back and signed in', ref('Session')) },
      problems: {
        400: 'A bad body (`validation`); an unknown, used (`flow-invalid`) or expired (`flow-expired`) flow; an attestation that does not verify (`passkey-rejected`).',
        409: 'The code was used, replaced or expired meanwhile (`recovery-code-used`), or the passkey is already registered (`credential-exists`).',
      },
    }),
  },
  [`${API}/auth/logout`]: {
    post: operation({
      operationId: 'logout',
      summary: 'End the session (audit entry `user.signed-out`)',
      tag: 'auth',
      access: 'user',
      jsonParser: true,
      responses: { 204: empty('The token no longer works') },
    }),
  },
  [`${API}/me`]: {
    get: operation({
      operationId: 'getMe',
      summary: 'The signed-in user',
      tag: 'auth',
      access: 'user',
      responses: {
        200: json('`Cache-Control: no-store`; `mail`: whether e-mail is offered, and my address (docs/server.md, "E-mail to citizens")', { type: 'object', required: ['user', 'mail'], properties: { user: ref('User'), mail: ref('MailStatus') } }),
      },
    }),
  },
  [`${API}/me/passkeys`]: {
    get: operation({
      operationId: 'listPasskeys',
      summary: 'My passkeys: how each is kept, when it was added and last used',
      tag: 'auth',
      access: 'user',
      responses: { 200: json('Oldest first (`Cache-Control: no-store`)', ref('PasskeyList')) },
    }),
    post: operation({
      operationId: 'addPasskey',
      summary: 'Finish adding another passkey to my account (audit entry `user.passkey-added`)',
      tag: 'auth',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody(flow('RegistrationCredential')),
      responses: { 201: json('The new passkey', ref('Passkey'), { Location: header('Location', { required: true }) }) },
      problems: {
        400: 'A bad body (`validation`); an unknown, used, expired (`flow-invalid`, `flow-expired`) flow or one another person started (`flow-invalid`); an attestation that does not verify (`passkey-rejected`).',
        409: 'The passkey is already registered (`credential-exists`).',
      },
    }),
  },
  [`${API}/me/passkeys/options`]: {
    post: operation({
      operationId: 'addPasskeyOptions',
      summary: 'Start adding another passkey to my account: options for navigator.credentials.create()',
      description: 'The account\'s own WebAuthn user handle, its passkeys in `excludeCredentials`, resident key and user verification required. The body, if any, is ignored (`{}`).',
      tag: 'auth',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody({ type: 'object' }, undefined, false),
      responses: { 200: json('Creation options and the flow to finish with', ref('RegistrationOptions')) },
    }),
  },
  [`${API}/me/passkeys/{id}`]: {
    delete: operation({
      operationId: 'removePasskey',
      summary: 'Remove one of my passkeys (audit entry `user.passkey-removed`)',
      description: 'Open sessions stay open. The last passkey cannot be removed: an account without one comes back only through the agency (docs/security.md, "When every passkey is lost").',
      tag: 'auth',
      access: 'user',
      parameters: [pathParam('id', 'The credential id (base64url)')],
      responses: { 204: empty('Removed') },
      problems: {
        404: 'No passkey with this id in my account, another person\'s included (`passkey-not-found`).',
        409: 'It is my only passkey (`last-passkey`).',
      },
    }),
  },
};
