import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/connection.ts';
import type { GroupCommit } from '../db/group-commit.ts';
import type { ApplicationRecord } from '../db/applications.ts';
import type { CaseStepRecord } from '../db/case-steps.ts';
import type { ExchangeSignatures } from '../documents/exchange-cms.ts';
import type { KeyStore } from '../documents/keys.ts';
import type { RevocationSource } from '../documents/revocation.ts';
import type { EventBus } from './events.ts';
import type { FormRegistry } from './forms.ts';
import type { TrustAnchorSource } from './trust.ts';
import type { TrustedListCache } from './trusted-lists.ts';
import type { VerificationLoad } from './verification-load.ts';

/** What happened when an application became `approved` (the round that approved it, oldest first). */
export interface Approved {
  application: ApplicationRecord;
  decisions: CaseStepRecord[];
}

/**
 * Called inside the transaction of a final approval, after the application became `approved`
 * and before it commits; a failure rolls the approval back with it. createApp wires issuance
 * here (services/issuance-hook.ts); a script may wire nothing.
 */
export type ApprovedHook = (deps: Deps, trx: Knex.Transaction, approved: Approved) => Promise<void>;

/**
 * Everything services need from the running app, made once in createApp and passed down to
 * every route factory (`xRoutes(deps)`). Nothing a service needs comes from module state.
 */
export interface Deps {
  db: Db;
  config: Config;
  /** Current time in epoch ms; injectable so tests can move the clock. */
  now: () => number;
  /** Case events for open inboxes (services/events.ts), published inside the writing transaction. */
  events: EventBus;
  /** The form definitions the app serves and issues from. */
  forms: FormRegistry;
  /** The agencies' seal keys (files, or keys in PKCS#11 tokens) and their trust anchors. */
  keys: KeyStore;
  /** The anchors `POST /verify` trusts. */
  trustAnchors: TrustAnchorSource;
  /** What a final approval sets off (issuance). */
  onApproved: ApprovedHook;
  log: Logger;
  /** `POST verify`'s turns and counters for this app instance (services/verification-load.ts). */
  verificationLoad: VerificationLoad;
  /** OCSP responses and CRLs for long-term signatures, cached for their validity (documents/revocation.ts). */
  revocation: RevocationSource;
  /** The trusted lists this instance has parsed from their stored copies (services/trusted-lists.ts). */
  trustedLists: TrustedListCache;
  /** Exchange signatures with what repeats between messages (a seal's CMS shape, a partner's certificates) done once (documents/exchange-cms.ts). */
  exchangeSignatures: ExchangeSignatures;
  /** Small write transactions that arrive together, committed together (db/group-commit.ts): inbound exchange messages. */
  groupCommit: GroupCommit;
}
