/**
 * What the inbox search matches on. Text is folded — lower case, Latin script, no diacritics,
 * only letters, digits and hyphens — so "Đorđević", "Ђорђевић" and "djordjevic" find each
 * other; a case is found by the *terms* of its applicant's name and tracking number, and a
 * search word matches every term it begins. Folded text never holds a LIKE wildcard or a quote.
 */
import { cyrillicToLatin } from '../components/core/transliterate.ts';

/** The fewest characters a search word needs (one-letter prefixes are ignored). */
export const MIN_SEARCH_WORD = 2;
/** Longest term kept, and longest search word (the column is 64 characters). */
export const MAX_TERM = 64;
/** At most this many words of a query are used. */
export const MAX_SEARCH_WORDS = 5;

export function foldForSearch(text: string): string {
  return cyrillicToLatin(text)
    .toLowerCase()
    // đ does not decompose under NFD; "dj" is how it is written without diacritics.
    .replace(/đ/g, 'dj')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9-]+/g, ' ')
    .trim()
    .replace(/ +/g, ' ');
}

/**
 * The terms a case is found by: each word of the tracking number and of the applicant's (or
 * drafter's) name, and each hyphen-separated part of those words — so `NP-2026-K7QX3M` is
 * found by "np-2026-k7qx3m", "k7qx3m" or "2026", and "Lukić-Pešić" by "pesic".
 */
export function searchTerms(trackingNumber: string, applicantName: string): string[] {
  const terms = new Set<string>();
  for (const word of foldForSearch(`${trackingNumber} ${applicantName}`).split(' ')) {
    for (const t of [word, ...word.split('-')]) if (t !== '' && t !== '-') terms.add(t.slice(0, MAX_TERM));
  }
  return [...terms];
}

/** The words of a query to search for: folded, long enough, without repeats, longest first. */
export function searchWords(query: string): string[] {
  const words = [...new Set(foldForSearch(query).split(' ').map((w) => w.replace(/^-+|-+$/g, '').slice(0, MAX_TERM)))]
    .filter((w) => w.length >= MIN_SEARCH_WORD);
  return words.sort((a, b) => b.length - a.length).slice(0, MAX_SEARCH_WORDS);
}
