import { API, header, json, jsonBody, operation, pathParam, ref, type Paths } from '../common.ts';

/** Passkey signatures (docs/server.md, "Signatures"). */
export const signaturePaths: Paths = {
  [`${API}/signatures/options`]: {
    post: operation({
      operationId: 'signingOptions',
      summary: 'Start signing: the signing payload and options for navigator.credentials.get()',
      description: 'The challenge is base64url(SHA-256(RFC 8785 JSON of `payload`)); only the signer\'s own passkeys are allowed. The flow lives 5 minutes and is single-use.',
      tag: 'signatures',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody(ref('SigningRequest')),
      responses: { 200: json('The payload and request options (`Cache-Control: no-store`)', ref('SigningOptions')) },
      problems: {
        400: 'A bad body, an unknown `subject.type` or `action`, a `context` the subject does not take (`validation`, naming the field).',
        403: 'The user sees the subject but may not do this to it now (`not-allowed`).',
        404: 'No such subject, or one the user may not see (`not-found`).',
        409: 'A decision by an official who already decided another step of the round (`four-eyes`).',
      },
    }),
  },
  [`${API}/signatures`]: {
    post: operation({
      operationId: 'createSignature',
      summary: 'Finish signing with the passkey\'s assertion',
      tag: 'signatures',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody({
        type: 'object',
        required: ['flowId', 'credential'],
        additionalProperties: false,
        properties: { flowId: { type: 'string', minLength: 1, maxLength: 64 }, credential: ref('AuthenticationCredential') },
      }),
      responses: { 201: json('The signature and its evidence', ref('Signature'), { Location: header('Location', { required: true }) }) },
      problems: {
        400: 'A bad body (`validation`, e.g. `credential.response.signature`); `flowId` `unknown` or `expired`, or another user\'s flow; an assertion that does not verify or another person\'s passkey (`passkey-rejected`).',
        403: 'The action is no longer allowed (`not-allowed`).',
        409: 'The subject changed since the options (`subject-changed`): ask for new options; a decision by an official who decided another step of the round meanwhile (`four-eyes`).',
      },
    }),
  },
  [`${API}/signatures/{id}`]: {
    get: operation({
      operationId: 'getSignature',
      summary: 'One signature and its evidence',
      tag: 'signatures',
      access: 'user',
      parameters: [pathParam('id', 'The signature id')],
      responses: { 200: json('The signature (`Cache-Control: no-store`)', ref('Signature')) },
      problems: { 404: 'No such signature, or one whose subject the user may not see (`signature-not-found`).' },
    }),
  },
};
