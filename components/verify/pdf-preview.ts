/**
 * The first page of a PDF drawn on a canvas, with Mozilla's PDF.js (pdfjs-dist): a chunk of its
 * own (with the PDF.js worker code, well over a megabyte) that <overa-verify> imports only
 * after a valid code check, to show the genuine document beside its facts — never in a first
 * load, never prefetched.
 *
 * PDF.js runs without a Web Worker here: a worker script must come from the page's own origin,
 * and these elements are embedded on agencies' sites from the Overa server's origin. PDF.js's
 * documented fallback is to run the worker's code on the main thread when `globalThis.pdfjsWorker`
 * holds the worker module, which is imported here (so the bundler makes it part of this chunk).
 * Drawing one page of a document of a few pages this way takes a moment on the main thread, once.
 */
import { getDocument, VerbosityLevel } from 'pdfjs-dist';
import * as pdfjsWorker from 'pdfjs-dist/build/pdf.worker.mjs';

/**
 * Draws page 1 of `bytes` on `canvas`, `cssWidth` CSS pixels wide (sharp on high-density
 * screens); resolves when it is drawn, rejects when the file cannot be read or drawn.
 */
export async function drawFirstPage(bytes: Uint8Array, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const global = globalThis as { pdfjsWorker?: unknown };
  global.pdfjsWorker ??= pdfjsWorker;
  // A copy: PDF.js takes ownership of (transfers) the buffer it is given.
  // Errors only: running without a worker is our choice, not a warning for the page's console.
  const task = getDocument({ data: bytes.slice(), isEvalSupported: false, stopAtErrors: false, verbosity: VerbosityLevel.ERRORS });
  const pdf = await task.promise;
  try {
    const page = await pdf.getPage(1);
    const ratio = typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
    const natural = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: (cssWidth / natural.width) * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${cssWidth}px`;
    canvas.style.aspectRatio = `${natural.width} / ${natural.height}`;
    canvas.style.height = 'auto';
    await page.render({ canvas, viewport }).promise;
  } finally {
    await pdf.destroy();
  }
}
