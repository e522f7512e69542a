import type { Config } from '../config.ts';
import type { Db } from '../db/connection.ts';

/** What services need from the running app; routes pass it through. */
export interface Deps {
  db: Db;
  config: Config;
  /** Current time in epoch ms; injectable so tests can move the clock. */
  now: () => number;
}
