// @ts-check
/**
 * Web Test Runner plugin: trusted lists signed by xmlsec1 and seals made with OpenSSL in the
 * runner's process (test/helpers/trusted-lists.ts), for element tests of how <overa-verify>
 * shows qualified status. Command, for executeServerCommand in the browser:
 *   trusted-list-fixture → { qualified, plain (PDFs, base64), tsaRootPem, lotl, rs, rsTampered, lotlSignerPem,
 *                            at, nodeReport (the qualified PDF's report in Node at `at`, the lists loaded there too) }
 */
import { tsImport } from 'tsx/esm/api';

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function trustedListFixturePlugin() {
  /** @type {Promise<Record<string, string>> | null} */
  let made = null;
  /** @type {(() => void)[]} */
  const cleanups = [];
  return {
    name: 'trusted-list-fixture',

    async serverStop() {
      for (const cleanup of cleanups) cleanup();
    },

    async executeCommand({ command }) {
      if (command !== 'trusted-list-fixture') return undefined;
      made ??= (async () => {
        /** @type {typeof import('../helpers/trusted-lists.ts')} */
        const tl = await tsImport('../helpers/trusted-lists.ts', import.meta.url);
        /** @type {typeof import('../helpers/ltv-pdf.ts')} */
        const ltv = await tsImport('../helpers/ltv-pdf.ts', import.meta.url);
        /** @type {typeof import('../helpers/pdf-sign.ts')} */
        const sign = await tsImport('../helpers/pdf-sign.ts', import.meta.url);
        const fx = tl.createTrustFixture();
        const tsa = ltv.createLtvPki('ec');
        cleanups.push(fx.cleanup, tsa.cleanup);
        /** @param {import('../helpers/trusted-lists.ts').FixtureCert} signer */
        const seal = async (signer) => sign.addSignatureTimestamp(tsa.asTestPki(), await sign.signEtsiWithOpenssl(tsa.asTestPki(), await sign.basePdf({ objectStreams: false }), signer, { contentsBytes: 12000 }));
        const lists = fx.writeLists(new Date(Date.now() - 3_600_000));
        const qualified = await seal(fx.qseal);
        /** @type {typeof import('../../components/core/trust-lists/load.ts')} */
        const load = await tsImport('../../components/core/trust-lists/load.ts', import.meta.url);
        /** @type {typeof import('../../components/core/pdf/verify-document.ts')} */
        const verify = await tsImport('../../components/core/pdf/verify-document.ts', import.meta.url);
        const at = new Date();
        const { set } = await load.loadTrustedListFiles([{ xml: lists.rs }, { xml: lists.lotl }], [fx.lotlSigner.pem], at);
        const nodeReport = await verify.verifyDocument(qualified, { trustAnchors: [tsa.rootPem], validationTime: at, trustedLists: set });
        return {
          at: at.toISOString(),
          nodeReport: JSON.stringify(nodeReport),
          qualified: Buffer.from(qualified).toString('base64'),
          plain: Buffer.from(await seal(fx.plainSeal)).toString('base64'),
          tsaRootPem: tsa.rootPem,
          lotl: lists.lotl,
          rs: lists.rs,
          rsTampered: lists.rsTampered,
          lotlSignerPem: fx.lotlSigner.pem,
        };
      })();
      return made;
    },
  };
}
