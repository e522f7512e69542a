import { API, header, json, jsonBody, operation, pathParam, ref, type Paths } from '../common.ts';

/** Proxy approval: an official names a substitute for a period (docs/server.md, "Delegations"). */
export const delegationPaths: Paths = {
  [`${API}/delegations`]: {
    post: operation({
      operationId: 'createDelegation',
      summary: 'Name a substitute for a period',
      tag: 'approval',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody(ref('DelegationRequest')),
      responses: { 201: json('The delegation', ref('Delegation'), { Location: header('Location', { required: true }) }) },
      problems: {
        400: '`toUserId` `self` or `unknown`; `from` / `until` not a date-time with an offset (`date`), out of order or too long (`range`), in the past (`past`) (`validation`).',
        403: 'A citizen (`not-allowed`).',
      },
    }),
    get: operation({
      operationId: 'listDelegations',
      summary: 'The delegations I gave or received that have not ended',
      tag: 'approval',
      access: 'user',
      responses: { 200: json('The delegations (`Cache-Control: no-store`)', ref('DelegationList')) },
      problems: { 403: 'A citizen (`not-allowed`).' },
    }),
  },
  [`${API}/delegations/{id}`]: {
    delete: operation({
      operationId: 'revokeDelegation',
      summary: 'End a delegation early (either of the two)',
      tag: 'approval',
      access: 'user',
      parameters: [pathParam('id', 'The delegation id')],
      responses: { 200: json('The delegation, now with `revokedAt`', ref('Delegation')) },
      problems: {
        403: 'A citizen (`not-allowed`).',
        404: 'No such delegation, or not one of the two (`delegation-not-found`).',
      },
    }),
  },
};
