/**
 * The key commands of the `overa` CLI (`overa keys show`, `overa keys import`) and the seal
 * set-up that `overa init` and `overa start` do. Kept out of main.ts, which only dispatches.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/connection.ts';
import { agencies } from '../db/agencies.ts';
import {
  KeyError, ensureDemoKeys, hasSealKey, importSealKey, keyPassphrase, keysDir, loadSeal, sealChain, trustAnchors, type CertificateInfo,
} from './keys.ts';

const DEMO_PASSPHRASE_NOTE =
  'OVERA_KEY_PASSPHRASE is not set: seal keys are encrypted with the fixed, public demo passphrase. '
  + 'Fine for the demo; set OVERA_KEY_PASSPHRASE before you import a real key.';

/**
 * `overa init`: a demo root and a demo seal for every agency that has no seal yet.
 * Returns the lines to print.
 */
export async function initSeals(config: Config, db: Db): Promise<string[]> {
  const list = await agencies.list(db);
  const made = await ensureDemoKeys(config, list);
  const lines: string[] = [];
  if (made.root) lines.push(`demo root CA created in ${keysDir(config)} (trust it only for the demo)`);
  for (const id of made.seals) lines.push(`demo seal key and certificate created for agency "${id}"`);
  if (made.seals.length === 0) lines.push('every agency has a seal key already');
  if (keyPassphrase(config).demo) lines.push(DEMO_PASSPHRASE_NOTE);
  return lines;
}

/**
 * At `overa start --demo`: makes the demo keys that are missing (a fresh clone works at once)
 * and returns what to tell the person who started it, in words, for the demo's start banner
 * (not as log lines under it: the banner is what they read).
 */
export async function prepareDemoSeals(config: Config, db: Db): Promise<string[]> {
  const list = await agencies.list(db);
  const made = await ensureDemoKeys(config, list);
  const lines = [
    made.root || made.seals.length
      ? `Seal: demo seal keys created in ${keysDir(config)} (a demo root CA, not for real documents).`
      : `Seal: the demo seal keys in ${keysDir(config)} (a demo root CA, not for real documents).`,
  ];
  if (keyPassphrase(config).demo) lines.push(DEMO_PASSPHRASE_NOTE);
  return lines;
}

/**
 * At `overa start` (not the demo): warns about agencies that cannot issue documents yet, and
 * about seal keys kept under the public demo passphrase.
 */
export async function prepareSeals(config: Config, db: Db, log: Logger): Promise<void> {
  const list = await agencies.list(db);
  const missing = list.filter((a) => !hasSealKey(config, a.id)).map((a) => a.id);
  if (missing.length) log.warn({ agencies: missing }, 'these agencies have no seal key and cannot issue documents: run `overa init` (demo) or `overa keys import`');
  if (keyPassphrase(config).demo && list.some((a) => hasSealKey(config, a.id))) log.warn(DEMO_PASSPHRASE_NOTE);
}

function describe(c: CertificateInfo, indent: string): string {
  const fp = c.sha256.toUpperCase().match(/.{2}/g)!.join(':');
  return [
    `${indent}subject   ${c.subject}`,
    `${indent}issuer    ${c.issuer}`,
    `${indent}serial    ${c.serialNumber}`,
    `${indent}valid     ${c.notBefore} – ${c.notAfter}`,
    `${indent}key       ${c.keyAlgorithm}`,
    `${indent}SHA-256   ${fp}`,
  ].join('\n');
}

export interface KeysOptions {
  agency?: string | undefined;
  key?: string | undefined;
  chain?: string | undefined;
  p12?: string | undefined;
  pem?: boolean | undefined;
}

/** `overa keys show|import …`; returns the exit code. */
interface Out {
  write(text: string): unknown;
}

export async function keysCommand(
  config: Config, db: Db, args: readonly string[], options: KeysOptions, out: Out = process.stdout, err: Out = process.stderr,
): Promise<number> {
  const [sub] = args;
  if (sub === 'show') {
    const list = await agencies.list(db);
    const anchors = trustAnchors(config, list.map((a) => a.id));
    out.write(`Trust anchors (published at GET /api/v1/trust):\n`);
    if (anchors.length === 0) out.write('  none yet: run `overa init` (demo) or `overa keys import`\n');
    for (const a of anchors) out.write(`${describe(a, '  ')}\n${options.pem ? a.pem : ''}\n`);
    out.write('Agency seals:\n');
    for (const agency of list) {
      const chain = sealChain(config, agency.id);
      out.write(`  ${agency.id} (${agency.name})\n`);
      if (!chain) {
        out.write(`    no seal key: run \`overa init\` (demo) or \`overa keys import --agency ${agency.id}\`\n\n`);
        continue;
      }
      chain.forEach((c, i) => out.write(`    ${i === 0 ? 'seal certificate' : `CA certificate ${i}`}\n${describe(c, '      ')}\n${options.pem ? c.pem : ''}`));
      try {
        await loadSeal(config, agency.id);
        out.write('    key       decrypts with the configured passphrase\n\n');
      } catch (e) {
        out.write(`    key       UNUSABLE: ${(e as Error).message}\n\n`);
      }
    }
    out.write(`Key passphrase: ${keyPassphrase(config).demo ? 'the public demo passphrase (OVERA_KEY_PASSPHRASE is not set)' : 'from OVERA_KEY_PASSPHRASE'}\n`);
    return 0;
  }
  if (sub === 'import') {
    if (!options.agency) {
      err.write('overa keys import: --agency is required\n');
      return 2;
    }
    if (!options.p12 && !(options.key && options.chain)) {
      err.write('overa keys import: give --p12 FILE, or --key FILE and --chain FILE (PEM)\n');
      return 2;
    }
    if (!(await agencies.get(db, options.agency))) {
      err.write(`overa keys import: no agency "${options.agency}" (run overa init, or check the id)\n`);
      return 1;
    }
    try {
      const passphrase = process.env.OVERA_IMPORT_PASSPHRASE;
      const result = await importSealKey(config, options.agency, {
        ...(options.p12 ? { p12: new Uint8Array(readFileSync(options.p12)) } : {}),
        ...(options.key ? { keyPem: readFileSync(options.key) } : {}),
        ...(options.chain ? { chainPem: readFileSync(options.chain, 'utf8') } : {}),
        ...(passphrase ? { importPassphrase: passphrase } : {}),
      });
      for (const w of result.warnings) err.write(`warning: ${w}\n`);
      out.write(`seal of agency "${options.agency}" imported:\n`);
      result.chain.forEach((c, i) => out.write(`  ${i === 0 ? 'seal certificate' : `CA certificate ${i}`}\n${describe(c, '    ')}\n`));
      return 0;
    } catch (e) {
      if (e instanceof KeyError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
        err.write(`overa keys import: ${(e as Error).message}\n`);
        return 1;
      }
      throw e;
    }
  }
  err.write(`overa keys: unknown command "${args.join(' ')}" (show, import)\n`);
  return 2;
}
