import type { OpenDataStatistics } from '../core/api.ts';
import { apiBaseFor, type OveraClient } from './client.ts';

/** Which rows of the open-data statistics (`GET open-data/statistics.json`); every filter is optional. */
export interface OpenDataFilters {
  /** An agency id. */
  agency?: string;
  /** A form id. */
  form?: string;
  /** First month, `YYYY-MM` (inclusive). */
  from?: string;
  /** Last month, `YYYY-MM` (inclusive). */
  to?: string;
}

function query(filters: OpenDataFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of ['agency', 'form', 'from', 'to'] as const) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.size ? `?${params}` : '';
}

/**
 * Service performance per agency, form and month, with no personal data: public, so it is
 * asked without the session's token.
 */
export function getOpenDataStatistics(client: OveraClient, filters: OpenDataFilters = {}, signal?: AbortSignal): Promise<OpenDataStatistics> {
  return client.request<OpenDataStatistics>('GET', `open-data/statistics.json${query(filters)}`, signal ? { auth: false, signal } : { auth: false });
}

/** The address of the same statistics as a file anyone can download: CSV (names in `lang`) or JSON. */
export function openDataUrl(server: string, format: 'csv' | 'json', filters: OpenDataFilters = {}, lang?: string): string {
  return `${apiBaseFor(server)}open-data/statistics.${format}${query(filters, format === 'csv' && lang ? { lang } : {})}`;
}
