/**
 * The NBS IPS QR code's modules as one SVG path, in a chunk of its own: `uqr` (a port of
 * Nayuki's QR Code generator, ESM, no dependencies) comes only with the first payment shown,
 * never with an element's first load (components/shared/payment-details.ts imports this with
 * `import()` and draws the `<svg>`). It imports nothing else, not even Lit: a chunk that shared
 * a module with an element's first load would split that load into more files.
 */
import { encode } from 'uqr';

/** The quiet zone the QR specification asks for around the code, in modules. */
const QUIET_ZONE = 4;

/** A QR code as an SVG path: `size` modules square (quiet zone included), the dark ones in `d`. */
export interface QrPath {
  readonly size: number;
  readonly d: string;
}

/**
 * `text` as a QR code (byte mode, UTF-8; error correction M, as printed payment slips use):
 * one path of horizontal runs, a few hundred commands rather than one rectangle per module.
 */
export function ipsQrPath(text: string): QrPath {
  const { data, size } = encode(text, { ecc: 'M', border: QUIET_ZONE });
  let d = '';
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && row[x]) x++;
      d += `M${start},${y}h${x - start}v1h${start - x}z`;
    }
  });
  return { size, d };
}
