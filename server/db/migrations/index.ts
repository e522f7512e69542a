import type { Knex } from 'knex';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_uploads_idempotency.ts';
import * as m003 from './003_applications.ts';
import * as m004 from './004_signatures.ts';
import * as m005 from './005_workflow.ts';
import * as m006 from './006_documents.ts';
import * as m007 from './007_rate_limits.ts';
import * as m008 from './008_distribution.ts';
import * as m009 from './009_four_eyes.ts';
import * as m010 from './010_pades_level.ts';
import * as m011 from './011_account_recovery.ts';
import * as m012 from './012_outbox.ts';
import * as m013 from './013_mail.ts';
import * as m014 from './014_exchange.ts';
import * as m015 from './015_deadlines.ts';
import * as m017 from './017_fees.ts';
import * as m018 from './018_form_versions.ts';
import * as m019 from './019_trusted_lists.ts';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

// Migrations are imported statically (not discovered on disk) so they work the same from
// TypeScript sources, a bundle and the npm package.
const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_uploads_idempotency': m002,
  '003_applications': m003,
  '004_signatures': m004,
  '005_workflow': m005,
  '006_documents': m006,
  '007_rate_limits': m007,
  '008_distribution': m008,
  '009_four_eyes': m009,
  '010_pades_level': m010,
  '011_account_recovery': m011,
  '012_outbox': m012,
  '013_mail': m013,
  '014_exchange': m014,
  '015_deadlines': m015,
  '017_fees': m017,
  '018_form_versions': m018,
  '019_trusted_lists': m019,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
