// @ts-check
/**
 * Web Test Runner plugin: a PAdES B-LTA document made with OpenSSL in the runner's process
 * (test/helpers/ltv-pdf.ts: seal, signature time-stamp, DSS with OCSP and CRL, document
 * time-stamp), for element tests that check how <overa-verify> shows long-term proof.
 * Command, for executeServerCommand in the browser:
 *   ltv-fixture → { pdf (base64), rootPem }
 */
import { tsImport } from 'tsx/esm/api';

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function ltvFixturePlugin() {
  /** @type {Promise<{ pdf: string, rootPem: string }> | null} */
  let made = null;
  /** @type {(() => void)[]} */
  const cleanups = [];
  return {
    name: 'ltv-fixture',

    async serverStop() {
      for (const cleanup of cleanups) cleanup();
    },

    async executeCommand({ command }) {
      if (command !== 'ltv-fixture') return undefined;
      made ??= (async () => {
        /** @type {typeof import('../helpers/ltv-pdf.ts')} */
        const ltv = await tsImport('../helpers/ltv-pdf.ts', import.meta.url);
        const pki = ltv.createLtvPki('ec');
        cleanups.push(pki.cleanup);
        const seal = pki.seal('element');
        const bt = await ltv.sealedPdf(pki, seal, 'B-T');
        const lt = (await ltv.appendDss(bt, { certs: [pki.der.ocsp], ocsps: [pki.ocsp(seal)], crls: [pki.crl()] })).pdf;
        const lta = await ltv.appendDocumentTimestamp(pki, lt);
        return { pdf: Buffer.from(lta).toString('base64'), rootPem: pki.rootPem };
      })();
      return made;
    },
  };
}
