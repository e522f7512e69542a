import { latinToCyrillic } from '../core/transliterate.ts';
import { mapMessages, type Lang, type Messages } from './format.ts';
import { en } from './messages-en.ts';
import { srLatn } from './messages-sr-latn.ts';

/** Serbian Cyrillic, derived from the Latin set so Serbian is written once. */
export const srCyrl: Messages = mapMessages(srLatn, latinToCyrillic);

export const MESSAGES: Readonly<Record<Lang, Messages>> = { en, 'sr-Latn': srLatn, 'sr-Cyrl': srCyrl };
