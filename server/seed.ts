import type { Db } from './db/connection.ts';
import { agencies } from './db/agencies.ts';

/** The demo agency: a fictional municipality, seeded by `overa init` and the demo. */
export const DEMO_AGENCY = { id: 'novi-primer', name: 'Gradska uprava Novi Primer' } as const;

/**
 * A second demo agency that receives documents: the land registry (cadastre) office, to which
 * the demo building permit (examples/forms/building-permit.json, `distribution`) is sent.
 */
export const DEMO_RECEIVING_AGENCY = { id: 'rgz', name: 'RGZ – Služba za katastar nepokretnosti Novi Primer' } as const;

export async function seedDemo(db: Db, now: number): Promise<void> {
  await agencies.upsert(db, { ...DEMO_AGENCY, created_at: now });
  await agencies.upsert(db, { ...DEMO_RECEIVING_AGENCY, created_at: now });
}
