/**
 * Verification codes: printed on every issued document (and carried by its QR code) so that
 * anyone can look the document up. 20 characters from a 25-character alphabet without
 * look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B; the same alphabet as tracking numbers), in five
 * groups of four to read aloud: `K7QX-3MAC-…`. The server makes them (server/documents/
 * verification-code.ts); the format and what a person may type are shared with the browser.
 */

export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const CODE_LENGTH = 20;
const GROUP = 4;

/** Random bits in one code: log2(25) × 20 ≈ 92.9. */
export const VERIFICATION_CODE_BITS = Math.floor(CODE_LENGTH * Math.log2(CODE_ALPHABET.length));

/** `ABCDEFGH…` → `ABCD-EFGH-…`. */
export function groupVerificationCode(raw: string): string {
  return raw.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join('-') ?? '';
}

// What a person may type instead: lower case, and the letter a Serbian keyboard in Cyrillic
// mode gives for the key of the printed Latin letter (the U key gives У, H gives Х, Q gives Љ).
// By key, not by look: Х looks like X but is typed for an H.
const CYRILLIC_KEYS: Record<string, string> = {
  Љ: 'Q', Њ: 'W', Е: 'E', Р: 'R', Т: 'T', З: 'Z', У: 'U', И: 'I', О: 'O', П: 'P',
  А: 'A', С: 'S', Д: 'D', Ф: 'F', Г: 'G', Х: 'H', Ј: 'J', К: 'K', Л: 'L',
  Ѕ: 'Y', Џ: 'X', Ц: 'C', В: 'V', Б: 'B', Н: 'N', М: 'M',
};

/** What reading a typed code found: the code, or why it cannot be one (for a message that says what to fix). */
export type VerificationCodeReading =
  | { readonly code: string }
  | { readonly problem: 'character'; readonly character: string }
  | { readonly problem: 'length'; readonly length: number };

/**
 * A code as typed or scanned → its canonical grouped form, or the first character that is
 * never in a code, or how many code characters there were when that is not 20. Spaces,
 * dashes and case do not matter; a Cyrillic letter counts as the Latin one of its key.
 */
export function readVerificationCode(input: string): VerificationCodeReading {
  let raw = '';
  for (const ch of input.toUpperCase()) {
    if (ch === '-' || ch === ' ' || ch === '\u00a0') continue;
    const c = CYRILLIC_KEYS[ch] ?? ch;
    if (!CODE_ALPHABET.includes(c)) return { problem: 'character', character: c };
    raw += c;
    if (raw.length > CODE_LENGTH) break;
  }
  return raw.length === CODE_LENGTH ? { code: groupVerificationCode(raw) } : { problem: 'length', length: raw.length };
}

/** A code as typed or scanned → its canonical grouped form, or null when it cannot be one. */
export function normalizeVerificationCode(input: string): string | null {
  if (input.length > 64) return null;
  const reading = readVerificationCode(input);
  return 'code' in reading ? reading.code : null;
}
