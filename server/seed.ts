import type { Db } from './db/connection.ts';
import { agencies } from './db/agencies.ts';

/** The demo agency: a fictional municipality, seeded by `overa init` and the demo. */
export const DEMO_AGENCY = { id: 'novi-primer', name: 'Gradska uprava Novi Primer' } as const;

export async function seedDemo(db: Db, now: number): Promise<void> {
  await agencies.upsert(db, { ...DEMO_AGENCY, created_at: now });
}
