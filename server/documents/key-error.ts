/**
 * A seal key that cannot be used: missing, unreadable, not the certificate's, or in a token
 * that is absent, locked or refuses to sign. Issuance answers it with 503 `seal-unavailable`;
 * `overa start` prints its message as the one-sentence startup error. Its own module so that
 * keys.ts and pkcs11.ts both throw it without importing each other.
 */
export class KeyError extends Error {}
