/**
 * The elements other elements embed, `<overa-account>` and `<overa-sign>`, as one lazily loaded
 * chunk (lazy-element.ts): the form and the inbox embed both (signing in, then signing), and
 * `<overa-sign>` embeds the account box. One dynamic import target rather than one per element,
 * because each target is an entry point that makes esbuild split the code it shares with the
 * page into chunks of their own: with two, a page with every element loaded 3 KB (min+gz) more
 * in extra files, and every element alone a little more too (bench/bundle-size.ts). Each
 * `define.ts` leaves a tag another copy of Overa defined alone.
 */
import '../account/define.ts';
import '../sign/define.ts';
