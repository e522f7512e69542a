// @ts-check
/**
 * Web Test Runner plugin: runs the real Overa server (server/app.ts) in the test runner's
 * process for the component tests, with a fresh SQLite database in a temporary folder.
 *
 * The server is TypeScript, so it is loaded through tsx's tsImport (no global loader needed).
 * Its allowed origins (CORS and WebAuthn) are the test runner's own page origin, read
 * from the runner config in serverStart. Commands, for executeServerCommand in the browser:
 *   overa-server {mail?}          → { url } (with mail: a second server, started when first asked
 *                                   for, with e-mail to citizens configured: loopback SMTP, outbox worker)
 *   overa-mails {to}              → { mails: [{ to, subject, text }] } received by the mail server's SMTP
 *   overa-invite {agencyId?, roles, kind?} → { code }
 *   overa-recovery-code {userId}  → { code }
 *   overa-partner-document {trackingNumber} → { receptionId, documentId }: a partner agency's
 *                                 signed document received for the demo agency (issue 19)
 *   overa-partner-server          → { agencyId, name, url }: a partner agency on a second Overa
 *                                 server, partners both ways with the demo agency; this server's
 *                                 outbox then delivers to it (issue 19)
 */
import { tsImport } from 'tsx/esm/api';

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function overaServerPlugin(options = {}) {
  /** @type {import('./overa-server-harness.ts').RunningOvera | null} */
  let overa = null;
  /** @type {Promise<import('./overa-server-harness.ts').RunningOvera> | null} */
  let mailOvera = null;
  /** @type {(() => Promise<import('./overa-server-harness.ts').RunningOvera>) | null} */
  let startMail = null;
  return {
    name: 'overa-server',

    async serverStart({ config }) {
      /** @type {typeof import('./overa-server-harness.ts')} */
      const harness = await tsImport('./overa-server-harness.ts', import.meta.url);
      const hostname = config.hostname ?? 'localhost';
      const origins = [`${config.protocol === 'https:' ? 'https' : 'http'}://${hostname}:${config.port}`];
      overa = await harness.startOvera({ origins, ...options });
      startMail = () => harness.startOvera({ origins, ...options, mail: true });
    },

    async serverStop() {
      await overa?.stop();
      overa = null;
      const m = mailOvera;
      mailOvera = null;
      await (await m)?.stop();
    },

    async executeCommand({ command, payload }) {
      if (command === 'overa-server') {
        if (!overa || !startMail) throw new Error('the Overa server is not running');
        if (/** @type {{mail?: boolean}} */ (payload ?? {}).mail) {
          mailOvera ??= startMail();
          return { url: (await mailOvera).url };
        }
        return { url: overa.url };
      }
      if (command === 'overa-mails') {
        if (!mailOvera) throw new Error('the Overa mail server is not running');
        const p = /** @type {{to?: string}} */ (payload ?? {});
        return { mails: (await mailOvera).mails(String(p.to)) };
      }
      if (command === 'overa-invite') {
        if (!overa) throw new Error('the Overa server is not running');
        const p = /** @type {{agencyId?: string, roles?: string[], kind?: 'official' | 'admin'}} */ (payload ?? {});
        /** @type {{ roles: string[], agencyId?: string, kind?: 'official' | 'admin' }} */
        const request = { roles: p.roles ?? ['clerk'] };
        if (p.agencyId) request.agencyId = p.agencyId;
        if (p.kind) request.kind = p.kind;
        return { code: await overa.invite(request) };
      }
      if (command === 'overa-partner-document') {
        if (!overa) throw new Error('the Overa server is not running');
        const p = /** @type {{trackingNumber?: string}} */ (payload ?? {});
        return overa.partnerDocument(String(p.trackingNumber ?? 'PG-2026-000001'));
      }
      if (command === 'overa-partner-server') {
        if (!overa) throw new Error('the Overa server is not running');
        return overa.partnerServer();
      }
      if (command === 'overa-recovery-code') {
        if (!overa) throw new Error('the Overa server is not running');
        const p = /** @type {{userId?: string}} */ (payload ?? {});
        return { code: await overa.recoveryCode(String(p.userId)) };
      }
      return undefined;
    },
  };
}
