// @ts-check
import { readFileSync } from 'node:fs';
/**
 * Web Test Runner plugin: Chromium's virtual WebAuthn authenticator over CDP, so component
 * tests run real passkey ceremonies. One CDP session per page is kept open for the page's
 * life, because virtual authenticators live as long as the CDP session that made them.
 *
 * Commands (executeServerCommand in the browser; see test/helpers/webauthn.ts):
 *   add-virtual-authenticator {options?}          → { authenticatorId }
 *   set-user-verified {authenticatorId, isUserVerified} → {}
 *   get-credentials {authenticatorId}             → { credentials }
 *   remove-virtual-authenticator {authenticatorId} → {}
 */

/** @type {WeakMap<object, Promise<import('puppeteer-core').CDPSession>>} */
const cdpByPage = new WeakMap();

/** @param {import('puppeteer-core').Page} page */
function cdpFor(page) {
  let cdp = cdpByPage.get(page);
  if (!cdp) {
    cdp = (async () => {
      const session = await page.createCDPSession();
      await session.send('WebAuthn.enable', { enableUI: false });
      return session;
    })();
    cdpByPage.set(page, cdp);
  }
  return cdp;
}

// A platform authenticator with resident keys and user verification: shared with the e2e harness.
const DEFAULTS = JSON.parse(readFileSync(new URL('../helpers/virtual-authenticator.json', import.meta.url), 'utf8'));

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function virtualAuthenticatorPlugin() {
  return {
    name: 'virtual-authenticator',

    async executeCommand({ command, payload, session }) {
      const commands = ['add-virtual-authenticator', 'set-user-verified', 'get-credentials', 'remove-virtual-authenticator'];
      if (!commands.includes(command)) return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error(`${command}: needs a puppeteer (Chromium) launcher`);
      const browser = /** @type {import('@web/test-runner-chrome').ChromeLauncher} */ (/** @type {unknown} */ (session.browser));
      const cdp = await cdpFor(browser.getPage(session.id));
      const p = /** @type {Record<string, any>} */ (payload ?? {});

      switch (command) {
        case 'add-virtual-authenticator': {
          const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
            options: /** @type {any} */ ({ ...DEFAULTS, ...(p.options ?? {}) }),
          });
          return { authenticatorId };
        }
        case 'set-user-verified':
          await cdp.send('WebAuthn.setUserVerified', { authenticatorId: p.authenticatorId, isUserVerified: Boolean(p.isUserVerified) });
          return {};
        case 'get-credentials': {
          const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: p.authenticatorId });
          return { credentials };
        }
        case 'remove-virtual-authenticator':
          await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: p.authenticatorId });
          return {};
      }
      return undefined;
    },
  };
}
