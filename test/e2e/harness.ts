/**
 * End-to-end harness: the real server (in-process, fresh database, example pages and the
 * built bundle on one origin at a free port) and real Chromium (puppeteer-core) with
 * Chromium's virtual authenticator over CDP, so passkey ceremonies are real.
 */
import { createServer as createNetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import pino from 'pino';
import puppeteer, { type Browser, type CDPSession, type Page, type Protocol } from 'puppeteer-core';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/seed.ts';
import { bundleMount } from '../../server/middleware/static-files.ts';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { CHROMIUM_PATH, chromiumArgs } from '../helpers/chromium.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface E2E extends TestDb {
  /** http://localhost:PORT — the page origin, the WebAuthn origin and the API base. */
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export interface E2EOptions {
  /** The folder served as the site (default: examples/). */
  staticDir?: string;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  if (!existsSync(`${ROOT}dist/overa.bundle.js`)) throw new Error('dist/overa.bundle.js is missing: run `npm run build` first');
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const t = await createTestDb({ OVERA_ORIGINS: url, OVERA_STATIC_DIR: options.staticDir ?? `${ROOT}examples`, OVERA_FORMS_DIR: `${ROOT}examples/forms` });
  await seedDemo(t.db, Date.now());
  const app = createApp(t.config, { db: t.db, log: pino({ level: 'silent' }), mounts: [bundleMount(`${ROOT}dist`)] });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(), headless: true });
  return {
    ...t,
    url,
    browser,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.drop();
    },
  };
}

export interface VirtualAuthenticator {
  id: string;
  cdp: CDPSession;
  credentials(): Promise<{ credentialId: string; isResidentCredential: boolean; signCount: number }[]>;
  setUserVerified(value: boolean): Promise<void>;
  remove(): Promise<void>;
}

/** Adds a platform authenticator with resident keys and user verification to the page. */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.createCDPSession();
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: JSON.parse(readFileSync(new URL('../helpers/virtual-authenticator.json', import.meta.url), 'utf8')) as Protocol.WebAuthn.VirtualAuthenticatorOptions,
  });
  return {
    id: authenticatorId,
    cdp,
    async credentials() {
      return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    },
    async setUserVerified(isUserVerified) {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
    },
    async remove() {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}
