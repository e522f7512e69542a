/**
 * overa/core: DOM-free and Node-free logic shared by the elements and the server.
 * Nothing here imports the DOM, Node built-ins, an element or the server.
 */
export { canonicalJson, canonicalBytes, type JsonValue } from './canonical-json.ts';
export { sha256, canonicalSha256Hex } from './digest.ts';
export { toBase64Url, fromBase64Url, toHex } from './encoding.ts';
export { cyrillicToLatin, latinToCyrillic, isCyrillic, toScript, type SerbianScript } from './transliterate.ts';
export { PROBLEM_TYPE_BASE, type Problem, type FieldError } from './problem.ts';
export type { User, UserKind } from './user.ts';
