import type { Config } from '../config.ts';
import type { Db } from '../db/connection.ts';
import type { EventBus } from './events.ts';
import type { VerificationLoad } from './verification-load.ts';

/** What services need from the running app; routes pass it through. */
export interface Deps {
  db: Db;
  config: Config;
  /** Current time in epoch ms; injectable so tests can move the clock. */
  now: () => number;
  /**
   * Case events for open inboxes (services/events.ts), published inside the writing
   * transaction. createApp always sets one; absent (a script or test that builds Deps by hand),
   * nobody is told.
   */
  events?: EventBus;
  /**
   * `POST verify`'s turns and counters for this app instance (services/verification-load.ts).
   * createApp always sets one; absent, the verify route makes its own.
   */
  verificationLoad?: VerificationLoad;
}
