/**
 * The trusted lists `<overa-verify>` checks a seal of another authority against (a chunk of
 * its own, loaded only for such a seal): list files given to the element — fetched, then read
 * and verified here by core's trust-lists/load.ts (another chunk: XML and XMLDSig) against the
 * pinned certificates — or else the lists the server verified (`GET /trust?include=services`).
 */
import type { TrustedListSet } from '../core/trust-lists/model.ts';
import type { ListRefusal } from './verdict-qualification.ts';

export interface ForeignSealLists {
  /** The lists to verify with; undefined when there are none. */
  set: TrustedListSet | undefined;
  /** Lists given that were refused, and why. */
  refusals: ListRefusal[];
}

export interface ForeignSealSettings {
  /** `trusted-lists`: URLs of list files, space-separated. */
  urls: string;
  /** `trusted-list-signers`: PEM text, or a URL of a PEM file. */
  signers: string;
  /** `trustedListFiles`: list files given directly. */
  files: readonly (string | Uint8Array)[];
  offline: boolean;
  /** The API base of the server (ending in `/`). */
  apiBase: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export async function trustedListsFor(settings: ForeignSealSettings): Promise<ForeignSealLists> {
  const base = typeof location === 'undefined' ? undefined : location.href;
  const files: { xml: string | Uint8Array; location?: string }[] = settings.files.map((xml) => ({ xml }));
  for (const url of settings.urls.split(/\s+/).filter(Boolean)) {
    try {
      const response = await fetch(new URL(url, base));
      if (response.ok) files.push({ xml: await response.text(), location: url });
    } catch {
      // an unreachable list is simply not used
    }
  }
  if (files.length > 0) {
    const given = settings.signers.trim();
    let pinned: string[] = given.match(PEM) ?? [];
    if (pinned.length === 0 && given) {
      try {
        const response = await fetch(new URL(given, base));
        pinned = response.ok ? ((await response.text()).match(PEM) ?? []) : [];
      } catch {
        pinned = [];
      }
    }
    const { loadTrustedListFiles } = await import('../core/trust-lists/load.ts');
    const loaded = await loadTrustedListFiles(files, pinned);
    const refusals = loaded.results.flatMap((r) => (r.ok ? [] : [{ reason: r.reason, ...(r.location !== undefined ? { location: r.location } : {}) }]));
    return { set: loaded.set.lists.length > 0 ? loaded.set : undefined, refusals };
  }
  if (settings.offline) return { set: undefined, refusals: [] };
  try {
    const response = await fetch(new URL(`${settings.apiBase}trust?include=services`, base), { headers: { Accept: 'application/json' } });
    const json = response.ok ? ((await response.json()) as { verifiedLists?: TrustedListSet['lists'] }) : {};
    const lists = Array.isArray(json.verifiedLists) ? json.verifiedLists : [];
    return { set: lists.length > 0 ? { lists } : undefined, refusals: [] };
  } catch {
    return { set: undefined, refusals: [] };
  }
}
