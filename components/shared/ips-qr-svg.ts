/**
 * The NBS IPS QR code drawn as SVG, in a chunk of its own: `uqr` (a port of Nayuki's QR Code
 * generator, ESM, no dependencies) comes only with the first payment shown, never with an
 * element's first load (components/shared/payment-details.ts imports this with `import()`).
 */
import { svg, html, type TemplateResult } from 'lit';
import { encode } from 'uqr';

/** Screen pixels per module: whole pixels keep the edges sharp for a phone's camera. */
const MODULE_PX = 4;
/** The quiet zone the QR specification asks for around the code, in modules. */
const QUIET_ZONE = 4;

/**
 * `text` as a QR code (byte mode, UTF-8; error correction M, as printed payment slips use), an
 * `<svg role="img">` labelled `label`. One path of horizontal runs: a few hundred commands, not
 * one rectangle per module.
 */
export function ipsQrSvg(text: string, label: string): TemplateResult {
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
  const px = size * MODULE_PX;
  return html`<svg
    part="payment-qr"
    class="payment-qr"
    role="img"
    aria-label=${label}
    width=${px}
    height=${px}
    viewBox="0 0 ${size} ${size}"
    shape-rendering="crispEdges"
    xmlns="http://www.w3.org/2000/svg"
  >${svg`<rect width=${size} height=${size} fill="#fff"></rect><path d=${d} fill="#000"></path>`}</svg>`;
}
