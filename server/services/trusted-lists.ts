/**
 * Trusted lists on the server (issue 22): the configured lists (config `trustedLists`,
 * `OVERA_TRUSTED_LISTS`) fetched, verified by core (components/core/trust-lists/load.ts — the
 * same code `<overa-verify>` runs on a list file) and kept in the database (migration 019):
 *
 * - `refreshTrustedLists`: one instance at a time (a lease row), each list fetched when it is
 *   due — no good copy yet, NextUpdate within a day, or the last attempt a day old — or when
 *   forced. The list of lists first: a national list is checked against its configured pinned
 *   certificates and those the current list of lists names for it. A list that fails (fetch,
 *   signature, unpinned signer, expired, an older sequence number than the copy held) leaves
 *   the last good copy in place, with the failure recorded beside it.
 * - `currentTrustedLists`: what `GET /trust` shows and `POST /verify` uses: the stored copies,
 *   those past their NextUpdate left out (as expired). The parsed lists are cached per
 *   instance (Deps.trustedLists) and read again only when a copy changed.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { loadTrustedList } from '../../components/core/trust-lists/load.ts';
import type { TrustedListSet, VerifiedTrustedList } from '../../components/core/trust-lists/model.ts';
import { DEFAULT_TRUSTED_LISTS, type TrustedListConfig } from '../config.ts';
import { trustedListCopies, trustedListLeases, type TrustedListCopy } from '../db/trusted-lists.ts';
import type { Deps } from './deps.ts';

const DAY = 86_400_000;
/** Largest list fetched: national lists are a few MiB. */
const MAX_LIST_BYTES = 32 * 1024 * 1024;
/** How long one refresh may hold the lease (several lists, each with a fetch timeout). */
const LEASE_MS = 10 * 60_000;

/** A list as `GET /trust` describes it. */
export interface TrustedListStatus {
  name: string;
  location: string;
  /** `current`: verified and before its NextUpdate; `expired`: the last good copy is past it; `missing`: never verified. */
  status: 'current' | 'expired' | 'missing';
  territory?: string;
  listOfLists?: boolean;
  sequenceNumber?: number;
  issued?: string;
  nextUpdate?: string;
  verifiedAt?: string;
  signer?: string;
  signerSubject?: string;
  providers?: number;
  services?: number;
  lastAttemptAt?: string;
  /** The last attempt's failure (the last good copy, if any, is still the one used). */
  lastError?: { reason: string; detail: string };
}

export interface CurrentTrustedLists {
  lists: TrustedListStatus[];
  /** The current lists, for the verifier. */
  set: TrustedListSet;
}

/** Parsed lists of this instance, by copy (name + update time): JSON.parse of a few MiB once per change. */
export class TrustedListCache {
  private readonly parsed = new Map<string, { updatedAt: number; verified: VerifiedTrustedList }>();
  private lastSet: TrustedListSet = { lists: [] };

  /**
   * The same set object while the same lists are current: the verifier reads a set's
   * certificates once per object (core's listAnchors), a few thousand for the EU lists.
   */
  setOf(lists: VerifiedTrustedList[]): TrustedListSet {
    const same = lists.length === this.lastSet.lists.length && lists.every((l, i) => l === this.lastSet.lists[i]);
    if (!same) this.lastSet = { lists };
    return this.lastSet;
  }

  async read(deps: Deps, copies: readonly TrustedListCopy[]): Promise<Map<string, VerifiedTrustedList>> {
    const stale = copies.filter((c) => c.verifiedAt !== null && this.parsed.get(c.name)?.updatedAt !== c.updatedAt);
    for (const row of await trustedListCopies.verified(deps.db, stale.map((c) => c.name))) {
      const copy = stale.find((c) => c.name === row.name)!;
      this.parsed.set(row.name, { updatedAt: copy.updatedAt, verified: JSON.parse(row.verified) as VerifiedTrustedList });
    }
    for (const name of [...this.parsed.keys()]) if (!copies.some((c) => c.name === name && c.verifiedAt !== null)) this.parsed.delete(name);
    const out = new Map<string, VerifiedTrustedList>();
    for (const c of copies) {
      const p = this.parsed.get(c.name);
      if (p) out.set(c.name, p.verified);
    }
    return out;
  }
}

const iso = (t: number | null) => (t === null ? undefined : new Date(t).toISOString());

/** The configured lists as stored, and the current ones for the verifier. */
export async function currentTrustedLists(deps: Deps): Promise<CurrentTrustedLists> {
  const configured = deps.config.trustedLists ?? [];
  if (configured.length === 0) return { lists: [], set: { lists: [] } };
  const copies = (await trustedListCopies.summaries(deps.db)).filter((c) => configured.some((l) => l.name === c.name));
  const verified = await deps.trustedLists.read(deps, copies);
  const now = deps.now();
  const lists: TrustedListStatus[] = [];
  const current: VerifiedTrustedList[] = [];
  for (const config of configured) {
    const copy = copies.find((c) => c.name === config.name);
    const v = verified.get(config.name);
    const expired = v?.list.nextUpdate !== undefined && Date.parse(v.list.nextUpdate) < now;
    const status: TrustedListStatus = { name: config.name, location: copy?.location ?? config.location, status: !v ? 'missing' : expired ? 'expired' : 'current' };
    if (v) {
      status.territory = v.list.territory;
      status.listOfLists = v.list.listOfLists;
      status.sequenceNumber = v.list.sequenceNumber;
      status.issued = v.list.issued;
      if (v.list.nextUpdate) status.nextUpdate = v.list.nextUpdate;
      status.verifiedAt = v.verifiedAt;
      status.signer = v.signer;
      status.signerSubject = v.signerSubject;
      status.providers = v.list.providers.length;
      status.services = v.list.providers.reduce((n, p) => n + p.services.length, 0);
      if (!expired) current.push(v);
    }
    const attempt = iso(copy?.lastAttemptAt ?? null);
    if (attempt) status.lastAttemptAt = attempt;
    if (copy?.lastErrorReason) status.lastError = { reason: copy.lastErrorReason, detail: copy.lastError ?? '' };
    lists.push(status);
  }
  return { lists, set: deps.trustedLists.setOf(current) };
}

export interface RefreshOutcome {
  name: string;
  location: string;
  outcome: 'updated' | 'not-due' | 'failed';
  sequenceNumber?: number;
  nextUpdate?: string;
  reason?: string;
  detail?: string;
}

export interface RefreshResult {
  /** False when another instance holds the lease (nothing was done here). */
  ran: boolean;
  lists: RefreshOutcome[];
}

export interface RefreshOptions {
  /** Fetch every list, due or not. */
  force?: boolean;
  /** This worker's name in the lease row. */
  worker?: string;
  /** How a URL is fetched (tests, proxies); default the global fetch. */
  fetch?: typeof fetch;
}

/** Reads a configured list: a URL with a time limit and a size limit, or a file. */
async function fetchList(location: string, timeoutMs: number, fetcher: typeof fetch): Promise<string> {
  if (!/^https?:\/\//i.test(location)) return readFile(location, 'utf8');
  const res = await fetcher(location, { signal: AbortSignal.timeout(timeoutMs), headers: { Accept: 'application/vnd.etsi.tsl+xml, application/xml, text/xml' } });
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${location}`);
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > MAX_LIST_BYTES) throw new Error(`${location} sends ${length} bytes; at most ${MAX_LIST_BYTES} are read`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_LIST_BYTES) throw new Error(`${location} sent more than ${MAX_LIST_BYTES} bytes`);
  return new TextDecoder('utf-8').decode(bytes);
}

function due(copy: TrustedListCopy | undefined, now: number): boolean {
  if (!copy || copy.verifiedAt === null) return true;
  if (copy.nextUpdateAt !== null && now >= copy.nextUpdateAt - DAY) return true;
  return copy.lastAttemptAt === null || now - copy.lastAttemptAt >= DAY;
}

function pemOf(b64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

async function refreshOne(deps: Deps, list: TrustedListConfig, lotl: VerifiedTrustedList | undefined, options: RefreshOptions): Promise<RefreshOutcome> {
  const now = deps.now();
  const base = { name: list.name, location: list.location };
  const copy = await trustedListCopies.get(deps.db, list.name);
  if (!options.force && !due(copy, now)) {
    const out: RefreshOutcome = { ...base, outcome: 'not-due' };
    if (copy?.sequenceNumber !== null && copy?.sequenceNumber !== undefined) out.sequenceNumber = copy.sequenceNumber;
    const next = iso(copy?.nextUpdateAt ?? null);
    if (next) out.nextUpdate = next;
    return out;
  }
  const fail = async (reason: string, detail: string): Promise<RefreshOutcome> => {
    await trustedListCopies.recordFailure(deps.db, list.name, list.location, reason, detail, deps.now());
    deps.log.warn({ list: list.name, location: list.location, reason, detail }, 'trusted list refused; the last good copy stays in use');
    return { ...base, outcome: 'failed', reason, detail };
  };
  const pinned: string[] = [];
  for (const file of list.pinned) {
    try {
      pinned.push(await readFile(file, 'utf8'));
    } catch (err) {
      return fail('pinned-file-unreadable', `${file}: ${(err as Error).message}`);
    }
  }
  if (list.name !== 'lotl' && lotl) {
    for (const p of lotl.list.pointers) if (p.territory?.toUpperCase() === list.name || p.location === list.location) pinned.push(...p.signingCertificates.map(pemOf));
  }
  let xml: string;
  try {
    xml = await fetchList(list.location, deps.config.trustedListsFetchTimeoutMs ?? DEFAULT_TRUSTED_LISTS.trustedListsFetchTimeoutMs, options.fetch ?? fetch);
  } catch (err) {
    return fail('fetch-failed', (err as Error).message);
  }
  const result = await loadTrustedList(xml, { pinned, now: new Date(now), location: list.location, ...(list.name === 'lotl' ? {} : { territory: list.name }) });
  if (!result.ok) return fail(result.reason, result.detail);
  const v = result.verified;
  if (list.name === 'lotl' && !v.list.listOfLists) return fail('not-a-list-of-lists', `${list.location} is a list of type ${v.list.type}, not a list of lists`);
  if (copy?.sequenceNumber !== null && copy?.sequenceNumber !== undefined && copy.verifiedAt !== null && v.list.sequenceNumber < copy.sequenceNumber) {
    return fail('older-sequence', `the list fetched has sequence number ${v.list.sequenceNumber}, older than the copy held (${copy.sequenceNumber})`);
  }
  await trustedListCopies.storeGood(
    deps.db,
    { name: list.name, location: list.location, xml, verified: JSON.stringify(v), sequenceNumber: v.list.sequenceNumber, issuedAt: Date.parse(v.list.issued), nextUpdateAt: v.list.nextUpdate ? Date.parse(v.list.nextUpdate) : null, verifiedAt: now },
    deps.now(),
  );
  const out: RefreshOutcome = { ...base, outcome: 'updated', sequenceNumber: v.list.sequenceNumber };
  if (v.list.nextUpdate) out.nextUpdate = v.list.nextUpdate;
  return out;
}

/** Refreshes the configured lists that are due (all with `force`), if this instance gets the lease. */
export async function refreshTrustedLists(deps: Deps, options: RefreshOptions = {}): Promise<RefreshResult> {
  const configured = deps.config.trustedLists ?? [];
  if (configured.length === 0) return { ran: true, lists: [] };
  const worker = options.worker ?? `refresh-${randomUUID()}`;
  if (!(await trustedListLeases.take(deps.db, worker, deps.now(), deps.now() + LEASE_MS))) return { ran: false, lists: [] };
  try {
    const outcomes: RefreshOutcome[] = [];
    // The list of lists first: it pins the national lists.
    const ordered = [...configured].sort((a, b) => (a.name === 'lotl' ? -1 : b.name === 'lotl' ? 1 : 0));
    for (const list of ordered) {
      const current = list.name === 'lotl' ? undefined : (await currentTrustedLists(deps)).set.lists.find((l) => l.list.listOfLists);
      outcomes.push(await refreshOne(deps, list, current, options));
    }
    return { ran: true, lists: outcomes };
  } finally {
    await trustedListLeases.release(deps.db, worker);
  }
}

/** The current lists for POST /verify, or undefined when none are configured or current (the verifier then loads no list code). */
export async function trustedListsForVerification(deps: Deps): Promise<TrustedListSet | undefined> {
  if (!deps.config.trustedLists?.length) return undefined;
  const { set } = await currentTrustedLists(deps);
  return set.lists.some((l) => !l.list.listOfLists) ? set : undefined;
}
