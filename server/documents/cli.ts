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
  KeyError, TokenSessions, createKeyStore, ensureDemoKeys, hasSealKey, importSealKey, importTokenSeal, keyPassphrase, keysDir, parseBinding,
  sealChain, sealLocation, trustAnchors, type CertificateInfo, type SealLocation,
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
  if (keyPassphrase(config).demo && list.some((a) => sealLocation(config, a.id)?.kind === 'file')) lines.push(DEMO_PASSPHRASE_NOTE);
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
  if (keyPassphrase(config).demo && list.some((a) => sealLocation(config, a.id)?.kind === 'file')) log.warn(DEMO_PASSPHRASE_NOTE);
}

/** Where a seal key lives, in words. */
export function describeLocation(location: SealLocation): string {
  return location.kind === 'file'
    ? `file ${location.path}`
    : `PKCS#11 token "${location.token}", key "${location.key}" (never leaves the token)`;
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
  /** `TOKEN-LABEL:KEY-LABEL`: bind the agency to a key inside a PKCS#11 token. */
  pkcs11?: string | undefined;
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
    const store = createKeyStore(config);
    try {
      for (const agency of list) {
        const chain = sealChain(config, agency.id);
        out.write(`  ${agency.id} (${agency.name})\n`);
        let location: SealLocation | undefined;
        try {
          location = sealLocation(config, agency.id);
        } catch (e) {
          out.write(`    key       UNUSABLE: ${(e as Error).message}\n\n`);
          continue;
        }
        if (!chain || !location) {
          out.write(`    no seal key: run \`overa init\` (demo) or \`overa keys import --agency ${agency.id}\`\n\n`);
          continue;
        }
        chain.forEach((c, i) => out.write(`    ${i === 0 ? 'seal certificate' : `CA certificate ${i}`}\n${describe(c, '      ')}\n${options.pem ? c.pem : ''}`));
        out.write(`    key in    ${describeLocation(location)}\n`);
        try {
          await store.seal(agency.id);
          out.write(location.kind === 'file'
            ? '    key       decrypts with the configured passphrase\n\n'
            : '    key       found in the token, and signs for the seal certificate\n\n');
        } catch (e) {
          out.write(`    key       UNUSABLE: ${(e as Error).message}\n\n`);
        }
      }
    } finally {
      store.close();
    }
    out.write(`Key passphrase: ${keyPassphrase(config).demo ? 'the public demo passphrase (OVERA_KEY_PASSPHRASE is not set)' : 'from OVERA_KEY_PASSPHRASE'}\n`);
    if (config.pkcs11Module) out.write(`PKCS#11 module: ${config.pkcs11Module} (OVERA_PKCS11_MODULE), PIN ${config.pkcs11Pin ? 'from OVERA_PKCS11_PIN' : 'not set (OVERA_PKCS11_PIN)'}\n`);
    return 0;
  }
  if (sub === 'import') {
    if (!options.agency) {
      err.write('overa keys import: --agency is required\n');
      return 2;
    }
    if (options.pkcs11 && (options.p12 || options.key)) {
      err.write('overa keys import: --pkcs11 takes the key from the token: give no --p12 or --key with it\n');
      return 2;
    }
    if (!options.pkcs11 && !options.p12 && !(options.key && options.chain)) {
      err.write('overa keys import: give --p12 FILE, or --key FILE and --chain FILE (PEM), or --pkcs11 TOKEN:KEY [--chain FILE]\n');
      return 2;
    }
    if (!(await agencies.get(db, options.agency))) {
      err.write(`overa keys import: no agency "${options.agency}" (run overa init, or check the id)\n`);
      return 1;
    }
    if (options.pkcs11) return importFromToken(config, options.agency, options.pkcs11, options.chain, out, err);
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

/** `overa keys import --agency A --pkcs11 TOKEN:KEY [--chain FILE]`. */
async function importFromToken(config: Config, agencyId: string, pkcs11: string, chain: string | undefined, out: Out, err: Out): Promise<number> {
  const tokens = new TokenSessions(config);
  try {
    const result = await importTokenSeal(config, agencyId, {
      ...parseBinding(pkcs11),
      ...(chain ? { chainPem: readFileSync(chain, 'utf8') } : {}),
    }, tokens);
    for (const w of result.warnings) err.write(`warning: ${w}\n`);
    out.write(`seal of agency "${agencyId}" bound to ${describeLocation({ kind: 'pkcs11', ...parseBinding(pkcs11) })}:\n`);
    result.chain.forEach((c, i) => out.write(`  ${i === 0 ? 'seal certificate' : `CA certificate ${i}`}\n${describe(c, '    ')}\n`));
    return 0;
  } catch (e) {
    if (e instanceof KeyError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      err.write(`overa keys import: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  } finally {
    tokens.close();
  }
}
