import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Everything the server needs to run. Built by `loadConfig`; tests build it directly. */
export interface Config {
  port: number;
  /** Absent = SQLite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Embedding origins allowed by CORS and as WebAuthn origins. */
  origins: string[];
  rpId: string;
  rpName: string;
  formsDir?: string;
  keyPassphrase?: string;
  tsaUrl?: string;
  /** Largest JSON body accepted, in bytes. */
  jsonLimit: number;
  /** Session lifetime in seconds. */
  sessionTtl: number;
  /** WebAuthn ceremony (challenge) lifetime in seconds. */
  challengeTtl: number;
  /** Folder of static pages served at `/` (the demo site); absent = none. */
  staticDir?: string;
  /** Largest upload in bytes: the server's hard ceiling (a form may ask for less, never more). */
  uploadMaxBytes: number;
  /** Media types accepted for uploads, as detected from the bytes. */
  uploadTypes: string[];
  /** Uploads one user may make in any 24 hours (429 beyond). */
  uploadMaxPerDay: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** The keys accepted in `overa.config.json`; the environment wins over the file. */
type FileConfig = Partial<Omit<Config, 'origins' | 'uploadTypes'>> & { origins?: string[] | string; uploadTypes?: string[] | string };

const DEFAULT_UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class ConfigError extends Error {}

/**
 * Reads `overa.config.json` (path from `OVERA_CONFIG`, else the working directory if the file
 * exists) and the environment; the environment wins. Names match DESIGN.md exactly.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const path = env.OVERA_CONFIG ? resolve(cwd, env.OVERA_CONFIG) : resolve(cwd, 'overa.config.json');
  let file: FileConfig = {};
  if (env.OVERA_CONFIG || existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as FileConfig;
    } catch (err) {
      throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
    }
  }
  const port = parsePort(env.PORT ?? file.port ?? 8080);
  const originsRaw = env.OVERA_ORIGINS ?? file.origins;
  const origins = (Array.isArray(originsRaw) ? originsRaw : (originsRaw ?? `http://localhost:${port}`).split(','))
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (!/^https?:\/\/[^/]+$/.test(o)) throw new ConfigError(`OVERA_ORIGINS: "${o}" is not an origin (scheme://host[:port])`);
  }
  const logLevel = (env.OVERA_LOG_LEVEL ?? file.logLevel ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`OVERA_LOG_LEVEL: unknown level "${logLevel}"`);
  const config: Config = {
    port,
    dataDir: resolve(cwd, env.OVERA_DATA_DIR ?? file.dataDir ?? './data'),
    origins,
    rpId: env.OVERA_RP_ID ?? file.rpId ?? 'localhost',
    rpName: env.OVERA_RP_NAME ?? file.rpName ?? 'Overa',
    jsonLimit: Number(file.jsonLimit ?? 256 * 1024),
    sessionTtl: Number(file.sessionTtl ?? 12 * 3600),
    challengeTtl: Number(file.challengeTtl ?? 300),
    logLevel,
    uploadMaxBytes: parsePositiveInt('OVERA_UPLOAD_MAX_BYTES', env.OVERA_UPLOAD_MAX_BYTES ?? file.uploadMaxBytes ?? 25 * 1024 * 1024),
    uploadTypes: parseMediaTypes(env.OVERA_UPLOAD_TYPES ?? file.uploadTypes ?? DEFAULT_UPLOAD_TYPES),
    uploadMaxPerDay: parsePositiveInt('OVERA_UPLOAD_MAX_PER_DAY', env.OVERA_UPLOAD_MAX_PER_DAY ?? file.uploadMaxPerDay ?? 200),
  };
  const databaseUrl = env.DATABASE_URL ?? file.databaseUrl;
  if (databaseUrl) config.databaseUrl = databaseUrl;
  const formsDir = env.OVERA_FORMS_DIR ?? file.formsDir;
  if (formsDir) config.formsDir = resolve(cwd, formsDir);
  const keyPassphrase = env.OVERA_KEY_PASSPHRASE ?? file.keyPassphrase;
  if (keyPassphrase) config.keyPassphrase = keyPassphrase;
  const tsaUrl = env.OVERA_TSA_URL ?? file.tsaUrl;
  if (tsaUrl) config.tsaUrl = tsaUrl;
  const staticDir = env.OVERA_STATIC_DIR ?? file.staticDir;
  if (staticDir) config.staticDir = resolve(cwd, staticDir);
  return config;
}

function parsePositiveInt(name: string, value: string | number): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`${name}: "${value}" is not a positive whole number`);
  return n;
}

function parseMediaTypes(value: string[] | string): string[] {
  const types = (Array.isArray(value) ? value : value.split(',')).map((t) => String(t).trim().toLowerCase()).filter(Boolean);
  if (types.length === 0) throw new ConfigError('OVERA_UPLOAD_TYPES: at least one media type is needed');
  for (const t of types) if (!MEDIA_TYPE.test(t)) throw new ConfigError(`OVERA_UPLOAD_TYPES: "${t}" is not a media type`);
  return types;
}

function parsePort(value: string | number): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT: "${value}" is not a port number`);
  return port;
}
