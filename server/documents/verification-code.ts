/**
 * New verification codes, drawn with a CSPRNG and no modulo bias. The format, the alphabet
 * and the reading of typed codes live in core (shared with `<overa-verify>`).
 */
import { randomInt } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH, groupVerificationCode } from '../../components/core/verification-code.ts';

export { CODE_ALPHABET, CODE_LENGTH, VERIFICATION_CODE_BITS, normalizeVerificationCode } from '../../components/core/verification-code.ts';

export function newVerificationCode(): string {
  let raw = '';
  for (let i = 0; i < CODE_LENGTH; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return groupVerificationCode(raw);
}
