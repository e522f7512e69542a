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
  /** Path of the PKCS#11 library of the token(s) holding seal keys (`OVERA_PKCS11_MODULE`). */
  pkcs11Module?: string;
  /** The tokens' user PIN (`OVERA_PKCS11_PIN`, from the environment only, never the config file). */
  pkcs11Pin?: string;
  tsaUrl?: string;
  /**
   * Long-term signatures (docs/server.md, "Long-term signatures"): the PAdES level issued
   * documents reach (absent: B-T with a TSA, else B-B — see `padesLevelOf`); what issuance does
   * when revocation data or the document time-stamp cannot be had (`fail`: 503, nothing issued;
   * `defer`: issued at B-T, marked pending, the archive job retries); each revocation request's
   * time limit; how long before the newest time-stamp's certificate ends the archive job renews
   * a document; how often `overa start` runs that job (0: never — run `overa documents extend`).
   */
  padesLevel?: PadesLevel;
  ltvOnFailure?: 'fail' | 'defer';
  revocationTimeoutMs?: number;
  archiveWindowDays?: number;
  archiveIntervalMinutes?: number;
  /**
   * Trusted lists (ETSI TS 119 612) the verifier uses for seals of other authorities
   * (docs/verification.md, "Trusted lists"): each with its name (`lotl` for the EU list of
   * lists, else its territory), where to fetch it (URL or file) and the certificate files pinned
   * for its signature (a national list is also checked against what the list of lists names for
   * it). `OVERA_TRUSTED_LISTS`; none by default. The refresh job runs every
   * `trustedListsRefreshMinutes` (0: never — run `overa trust refresh`).
   */
  trustedLists?: TrustedListConfig[];
  trustedListsRefreshMinutes?: number;
  trustedListsFetchTimeoutMs?: number;
  /**
   * Public base URL of the site (no trailing slash): issued documents' QR codes point at
   * `<publicUrl>/verify.html`. Set by loadConfig (default `http://localhost:<port>`).
   */
  publicUrl?: string;
  /**
   * Issue the sealed document in the final approval's own transaction (default true). False:
   * the application stays `approved` and is issued in a step of its own (e.g. after a fee is paid).
   */
  issueOnApproval?: boolean;
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
  /**
   * Abuse limits per client (docs/server.md, "Reliability and abuse limits"); a missing entry
   * takes its default from DEFAULT_RATE_LIMITS. Optional so that hand-built configs keep working.
   */
  rateLimits?: Partial<Record<RateLimitName, RateLimitSetting>>;
  /**
   * How many reverse proxies in front of the server to trust for `X-Forwarded-For` (and
   * `-Proto`, `-Host`): 0 (default) trusts none, so the client IP is the socket's peer.
   */
  trustProxy?: number;
  /**
   * Open data (`GET open-data/statistics.*`): a count below this is published as suppressed
   * (null), and processing times only when at least this many cases finished. Default 5.
   */
  openDataMinCount?: number;
  /**
   * `POST verify` (docs/server.md, "Verifying a PDF"): verifications running at once on this
   * instance, how many more may wait for a turn and for how long (503 with Retry-After beyond),
   * and the work one verification may do. Optional so that hand-built configs keep working
   * (DEFAULT_VERIFY_LIMITS fills in what is missing).
   */
  verifyConcurrency?: number;
  verifyQueue?: number;
  verifyQueueWaitMs?: number;
  /** Bytes of signed ranges one verification may hash: this × the file's size + verifyHashExtraBytes. */
  verifyHashFactor?: number;
  verifyHashExtraBytes?: number;
  /** Signature dictionaries verified in one file (more: the report says `too-many-signatures`). */
  verifyMaxSignatures?: number;
  /** Signature checks (seals, time-stamps, certificate links) in one verification. */
  verifyMaxSignatureChecks?: number;
  /**
   * HTTP timeouts (docs/security.md, "Slow and stalled requests"): the request's headers and the
   * whole request must arrive within these (Node's `headersTimeout`, `requestTimeout`: 408 and
   * the connection closed), and a body that stops arriving for `bodyIdleTimeoutMs` is answered
   * 408 and its connection closed. Optional as above (DEFAULT_HTTP_TIMEOUTS).
   */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  bodyIdleTimeoutMs?: number;
  /**
   * The outbox worker (docs/server.md, "The outbox"): how often it looks for due messages, how
   * many it takes at once, how long a claim holds a message before another worker may take it,
   * the first retry delay (doubled on each attempt, up to `outboxBackoffMaxMs`) and the attempts
   * before a message is `failed`. Optional as above (DEFAULT_OUTBOX).
   */
  outboxPollMs?: number;
  outboxBatch?: number;
  outboxLeaseMs?: number;
  outboxBackoffMs?: number;
  outboxBackoffMaxMs?: number;
  outboxMaxAttempts?: number;
  /** Agency-to-agency exchange (docs/exchange.md): one delivery attempt's time limit, and the largest inbound message. */
  exchangeTimeoutMs?: number;
  exchangeMaxBytes?: number;
  /** How long a webhook endpoint has to answer one delivery (then the attempt failed). */
  webhookTimeoutMs?: number;
  /**
   * The key that encrypts webhook secrets at rest (`OVERA_WEBHOOK_SECRET_KEY`: 32 bytes in
   * base64, from the environment only). Without it no webhook can be added or delivered.
   */
  webhookSecretKey?: string;
  /**
   * E-mail to citizens (issue 20, item 1): the SMTP server as a URL (`OVERA_SMTP_URL`, e.g.
   * `smtps://user:pass@mail.example.org:465`, nodemailer's form) and the sender
   * (`OVERA_MAIL_FROM`, e.g. `"Opština <no-reply@example.org>"`). Without both, no address is
   * taken, nothing is queued and nothing is sent.
   */
  smtpUrl?: string;
  mailFrom?: string;
  /** The page of the agency's site with `<overa-my-applications>`, linked from every notification (default: publicUrl + `/`). */
  myApplicationsUrl?: string;
  /**
   * Legal deadlines (docs/server.md, "Legal deadlines"): the agency's public non-working days
   * (`OVERA_PUBLIC_HOLIDAYS`: dates `YYYY-MM-DD`, or the path of a file listing them; absent:
   * Serbia's 2026 list, SERBIAN_PUBLIC_HOLIDAYS_2026 in components/core/deadlines.ts); how many
   * days before the due date the assignees are reminded by e-mail (`OVERA_DEADLINE_REMINDER_DAYS`,
   * default 5,1; each once); how many days left make a case "due soon" in the inbox
   * (`OVERA_DEADLINE_SOON_DAYS`, default 3); how often `overa start` runs the reminder job
   * (`OVERA_DEADLINE_INTERVAL_MINUTES`, default 15; 0: never); and the back-office page the
   * reminders link to (`OVERA_BACK_OFFICE_URL`, default publicUrl + `/`).
   */
  publicHolidays?: string[];
  deadlineReminderDays?: number[];
  deadlineSoonDays?: number;
  deadlineIntervalMinutes?: number;
  backOfficeUrl?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Legal deadlines by default (config `deadline*`, environment `OVERA_DEADLINE_*`). */
export const DEFAULT_DEADLINES = {
  deadlineReminderDays: [5, 1] as readonly number[],
  deadlineSoonDays: 3,
  deadlineIntervalMinutes: 15,
};

/** The outbox worker's settings by default (config `outbox*`, environment `OVERA_OUTBOX_*`). */
export const DEFAULT_OUTBOX = {
  outboxPollMs: 1000,
  outboxBatch: 20,
  outboxLeaseMs: 60_000,
  outboxBackoffMs: 5000,
  outboxBackoffMaxMs: 3_600_000,
  outboxMaxAttempts: 10,
  webhookTimeoutMs: 10_000,
} as const;

/** The limits kept in the database (server/middleware/rate-limit.ts). */
export type RateLimitName = 'signIn' | 'signUp' | 'uploads' | 'verify' | 'openData' | 'mailCodes';

/** At most `limit` requests per client in each window of `windowSeconds`; `limit` 0 turns the limit off. */
export interface RateLimitSetting {
  limit: number;
  windowSeconds: number;
}

/** Generous enough for a whole office behind one NAT address, and for the tests and benchmarks. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitName, Readonly<RateLimitSetting>>> = {
  signIn: { limit: 120, windowSeconds: 60 },
  signUp: { limit: 60, windowSeconds: 60 },
  uploads: { limit: 60, windowSeconds: 60 },
  verify: { limit: 120, windowSeconds: 60 },
  openData: { limit: 120, windowSeconds: 60 },
  // Each `PUT /me/email` sends a code mail to an address not yet proved: few per person.
  mailCodes: { limit: 10, windowSeconds: 3600 },
};

const RATE_LIMIT_ENV: Record<RateLimitName, string> = {
  signIn: 'OVERA_RATE_LIMIT_SIGN_IN',
  signUp: 'OVERA_RATE_LIMIT_SIGN_UP',
  uploads: 'OVERA_RATE_LIMIT_UPLOADS',
  verify: 'OVERA_RATE_LIMIT_VERIFY',
  openData: 'OVERA_RATE_LIMIT_OPEN_DATA',
  mailCodes: 'OVERA_RATE_LIMIT_MAIL_CODES',
};

type RateLimitInput = string | number | { limit?: number; windowSeconds?: number };

/** The keys accepted in `overa.config.json`; the environment wins over the file. */
type FileConfig = Partial<Omit<Config, 'origins' | 'uploadTypes' | 'rateLimits' | 'trustProxy' | 'publicHolidays' | 'deadlineReminderDays'>> & {
  publicHolidays?: string[] | string;
  deadlineReminderDays?: number[] | string;
  origins?: string[] | string;
  uploadTypes?: string[] | string;
  rateLimits?: Partial<Record<RateLimitName, RateLimitInput>>;
  trustProxy?: boolean | number | string;
};

/** One configured trusted list. */
export interface TrustedListConfig {
  /** `lotl` (the EU list of lists), or the list's territory (`RS`, `AT`…). */
  name: string;
  /** An https URL, or a file path. */
  location: string;
  /** PEM files of the certificates allowed to sign it. */
  pinned: string[];
}

/**
 * Documented defaults: the EU list of lists' location (its signing certificates are the ones
 * the Official Journal of the EU publishes: pin them yourself). The Serbian list is published
 * on https://epotpis.mtt.gov.rs/tsl-lista/ with its signing certificates and their SHA-256
 * fingerprints; its file URL is to be confirmed there, so it has no default location.
 */
export const DEFAULT_TRUSTED_LIST_LOCATIONS: Readonly<Record<string, string>> = Object.freeze({
  lotl: 'https://ec.europa.eu/tools/lotl/eu-lotl.xml',
});

export const DEFAULT_TRUSTED_LISTS = { trustedListsRefreshMinutes: 60, trustedListsFetchTimeoutMs: 30_000 } as const;

/**
 * `OVERA_TRUSTED_LISTS`: a JSON array of {name, location, pinned}, or entries
 * `NAME[=LOCATION][|PEM[,PEM…]]` separated by `;` or new lines (`lotl|/etc/overa/oj.pem;
 * RS=https://…/tsl.xml|/etc/overa/rs.pem`). `lotl` without a location is the EU list of lists.
 */
export function parseTrustedLists(value: unknown, cwd: string): TrustedListConfig[] {
  const name = 'OVERA_TRUSTED_LISTS';
  let entries: unknown[];
  if (Array.isArray(value)) entries = value;
  else if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      entries = JSON.parse(value) as unknown[];
    } catch {
      throw new ConfigError(`${name}: not valid JSON`);
    }
  } else if (typeof value === 'string') {
    entries = value.split(/[;\n]+/).map((e) => e.trim()).filter(Boolean).map((e) => {
      const [head, pins] = e.split('|', 2) as [string, string | undefined];
      const eq = head.indexOf('=');
      return { name: eq < 0 ? head : head.slice(0, eq), location: eq < 0 ? undefined : head.slice(eq + 1), pinned: pins ? pins.split(',') : [] };
    });
  } else throw new ConfigError(`${name}: expected a list`);
  const seen = new Set<string>();
  return entries.map((raw, i) => {
    const e = raw as { name?: unknown; location?: unknown; pinned?: unknown };
    const listName = typeof e.name === 'string' ? e.name.trim() : '';
    const key = listName.toLowerCase() === 'lotl' ? 'lotl' : listName.toUpperCase();
    if (!/^(lotl|[A-Z]{2})$/.test(key)) throw new ConfigError(`${name}: entry ${i + 1}: name "${listName}" is neither lotl nor a two-letter territory`);
    if (seen.has(key)) throw new ConfigError(`${name}: ${key} is listed twice`);
    seen.add(key);
    const location = typeof e.location === 'string' && e.location.trim() ? e.location.trim() : DEFAULT_TRUSTED_LIST_LOCATIONS[key];
    if (!location) throw new ConfigError(`${name}: ${key} needs a location (URL or file)${key === 'RS' ? ' — the Serbian list is published on https://epotpis.mtt.gov.rs/tsl-lista/' : ''}`);
    const isUrl = /^https?:\/\//i.test(location);
    const pinned = (Array.isArray(e.pinned) ? e.pinned : []).filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => resolve(cwd, p.trim()));
    if (key === 'lotl' && pinned.length === 0) throw new ConfigError(`${name}: lotl needs pinned certificate files (the EU list of lists' signing certificates, published in the Official Journal of the EU)`);
    return { name: key, location: isUrl ? location : resolve(cwd, location), pinned };
  });
}

/** `POST verify`'s limits by default (config `verify*`, environment `OVERA_VERIFY_*`). */
export const DEFAULT_VERIFY_LIMITS = {
  verifyConcurrency: 2,
  verifyQueue: 8,
  verifyQueueWaitMs: 5000,
  verifyHashFactor: 4,
  verifyHashExtraBytes: 32 * 1024 * 1024,
  verifyMaxSignatures: 20,
  verifyMaxSignatureChecks: 100,
} as const;

/** HTTP timeouts by default (config `*TimeoutMs`, environment `OVERA_*_TIMEOUT_MS`). */
export const DEFAULT_HTTP_TIMEOUTS = {
  headersTimeoutMs: 30_000,
  /** Node's own default: a 25 MiB upload over a slow mobile link needs minutes. */
  requestTimeoutMs: 300_000,
  bodyIdleTimeoutMs: 30_000,
} as const;

/** Open data: counts below this are suppressed (config `openDataMinCount`). */
export const DEFAULT_OPEN_DATA_MIN_COUNT = 5;

const DEFAULT_UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class ConfigError extends Error {}

/** PAdES baseline levels (the same list as components/core/documents.ts, kept here so config stays free of imports). */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
const PADES_LEVEL_NAMES: readonly PadesLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];

export const DEFAULT_LTV = {
  ltvOnFailure: 'fail' as const,
  revocationTimeoutMs: 10_000,
  archiveWindowDays: 90,
  archiveIntervalMinutes: 60,
};

/** The level issuance aims at: the configured one, else B-T with a TSA and B-B without (the behaviour before OVERA_PADES_LEVEL). */
export function padesLevelOf(config: Pick<Config, 'padesLevel' | 'tsaUrl'>): PadesLevel {
  return config.padesLevel ?? (config.tsaUrl ? 'B-T' : 'B-B');
}

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
    rateLimits: parseRateLimits(env, file.rateLimits ?? {}),
    trustProxy: parseTrustProxy(env.OVERA_TRUST_PROXY ?? file.trustProxy ?? false),
    openDataMinCount: parsePositiveInt('OVERA_OPEN_DATA_MIN_COUNT', env.OVERA_OPEN_DATA_MIN_COUNT ?? file.openDataMinCount ?? DEFAULT_OPEN_DATA_MIN_COUNT),
    verifyConcurrency: parsePositiveInt('OVERA_VERIFY_CONCURRENCY', env.OVERA_VERIFY_CONCURRENCY ?? file.verifyConcurrency ?? DEFAULT_VERIFY_LIMITS.verifyConcurrency),
    verifyQueue: parseWholeNumber('OVERA_VERIFY_QUEUE', env.OVERA_VERIFY_QUEUE ?? file.verifyQueue ?? DEFAULT_VERIFY_LIMITS.verifyQueue),
    verifyQueueWaitMs: parseWholeNumber('OVERA_VERIFY_QUEUE_WAIT_MS', env.OVERA_VERIFY_QUEUE_WAIT_MS ?? file.verifyQueueWaitMs ?? DEFAULT_VERIFY_LIMITS.verifyQueueWaitMs),
    verifyHashFactor: parsePositiveInt('OVERA_VERIFY_HASH_FACTOR', env.OVERA_VERIFY_HASH_FACTOR ?? file.verifyHashFactor ?? DEFAULT_VERIFY_LIMITS.verifyHashFactor),
    verifyHashExtraBytes: parseWholeNumber('OVERA_VERIFY_HASH_EXTRA_BYTES', env.OVERA_VERIFY_HASH_EXTRA_BYTES ?? file.verifyHashExtraBytes ?? DEFAULT_VERIFY_LIMITS.verifyHashExtraBytes),
    verifyMaxSignatures: parsePositiveInt('OVERA_VERIFY_MAX_SIGNATURES', env.OVERA_VERIFY_MAX_SIGNATURES ?? file.verifyMaxSignatures ?? DEFAULT_VERIFY_LIMITS.verifyMaxSignatures),
    verifyMaxSignatureChecks: parsePositiveInt('OVERA_VERIFY_MAX_SIGNATURE_CHECKS', env.OVERA_VERIFY_MAX_SIGNATURE_CHECKS ?? file.verifyMaxSignatureChecks ?? DEFAULT_VERIFY_LIMITS.verifyMaxSignatureChecks),
    headersTimeoutMs: parsePositiveInt('OVERA_HEADERS_TIMEOUT_MS', env.OVERA_HEADERS_TIMEOUT_MS ?? file.headersTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs),
    requestTimeoutMs: parsePositiveInt('OVERA_REQUEST_TIMEOUT_MS', env.OVERA_REQUEST_TIMEOUT_MS ?? file.requestTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs),
    bodyIdleTimeoutMs: parsePositiveInt('OVERA_BODY_IDLE_TIMEOUT_MS', env.OVERA_BODY_IDLE_TIMEOUT_MS ?? file.bodyIdleTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyIdleTimeoutMs),
    outboxPollMs: parsePositiveInt('OVERA_OUTBOX_POLL_MS', env.OVERA_OUTBOX_POLL_MS ?? file.outboxPollMs ?? DEFAULT_OUTBOX.outboxPollMs),
    outboxBatch: parsePositiveInt('OVERA_OUTBOX_BATCH', env.OVERA_OUTBOX_BATCH ?? file.outboxBatch ?? DEFAULT_OUTBOX.outboxBatch),
    outboxLeaseMs: parsePositiveInt('OVERA_OUTBOX_LEASE_MS', env.OVERA_OUTBOX_LEASE_MS ?? file.outboxLeaseMs ?? DEFAULT_OUTBOX.outboxLeaseMs),
    outboxBackoffMs: parsePositiveInt('OVERA_OUTBOX_BACKOFF_MS', env.OVERA_OUTBOX_BACKOFF_MS ?? file.outboxBackoffMs ?? DEFAULT_OUTBOX.outboxBackoffMs),
    outboxBackoffMaxMs: parsePositiveInt('OVERA_OUTBOX_BACKOFF_MAX_MS', env.OVERA_OUTBOX_BACKOFF_MAX_MS ?? file.outboxBackoffMaxMs ?? DEFAULT_OUTBOX.outboxBackoffMaxMs),
    outboxMaxAttempts: parsePositiveInt('OVERA_OUTBOX_MAX_ATTEMPTS', env.OVERA_OUTBOX_MAX_ATTEMPTS ?? file.outboxMaxAttempts ?? DEFAULT_OUTBOX.outboxMaxAttempts),
    exchangeTimeoutMs: parsePositiveInt('OVERA_EXCHANGE_TIMEOUT_MS', env.OVERA_EXCHANGE_TIMEOUT_MS ?? file.exchangeTimeoutMs ?? 30_000),
    exchangeMaxBytes: parsePositiveInt('OVERA_EXCHANGE_MAX_BYTES', env.OVERA_EXCHANGE_MAX_BYTES ?? file.exchangeMaxBytes ?? 32 * 1024 * 1024),
    webhookTimeoutMs: parsePositiveInt('OVERA_WEBHOOK_TIMEOUT_MS', env.OVERA_WEBHOOK_TIMEOUT_MS ?? file.webhookTimeoutMs ?? DEFAULT_OUTBOX.webhookTimeoutMs),
  };
  // Node refuses a headers timeout longer than the request's.
  if (config.headersTimeoutMs! > config.requestTimeoutMs!) {
    throw new ConfigError(`OVERA_HEADERS_TIMEOUT_MS: ${config.headersTimeoutMs} is longer than OVERA_REQUEST_TIMEOUT_MS (${config.requestTimeoutMs})`);
  }
  const databaseUrl = env.DATABASE_URL ?? file.databaseUrl;
  if (databaseUrl) config.databaseUrl = databaseUrl;
  const formsDir = env.OVERA_FORMS_DIR ?? file.formsDir;
  if (formsDir) config.formsDir = resolve(cwd, formsDir);
  const keyPassphrase = env.OVERA_KEY_PASSPHRASE ?? file.keyPassphrase;
  if (keyPassphrase) config.keyPassphrase = keyPassphrase;
  const pkcs11Module = env.OVERA_PKCS11_MODULE ?? file.pkcs11Module;
  if (pkcs11Module) config.pkcs11Module = String(pkcs11Module);
  // A PIN is a secret: from the environment only, like the import password.
  if (env.OVERA_PKCS11_PIN) config.pkcs11Pin = env.OVERA_PKCS11_PIN;
  // A key: from the environment only, like the PIN.
  if (env.OVERA_WEBHOOK_SECRET_KEY) {
    if (Buffer.from(env.OVERA_WEBHOOK_SECRET_KEY, 'base64').length !== 32) {
      throw new ConfigError('OVERA_WEBHOOK_SECRET_KEY: must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
    }
    config.webhookSecretKey = env.OVERA_WEBHOOK_SECRET_KEY;
  }
  // The URL may carry the SMTP password: the environment or the file, like the database's.
  const smtpUrl = env.OVERA_SMTP_URL ?? file.smtpUrl;
  const mailFrom = env.OVERA_MAIL_FROM ?? file.mailFrom;
  if (smtpUrl || mailFrom) {
    if (!smtpUrl || !mailFrom) throw new ConfigError('OVERA_SMTP_URL and OVERA_MAIL_FROM: set both to send e-mail, or neither');
    if (!/^smtps?:\/\/[^/]+/.test(smtpUrl)) throw new ConfigError('OVERA_SMTP_URL: must be smtp:// or smtps:// (user:password@host:port)');
    config.smtpUrl = smtpUrl;
    config.mailFrom = mailFrom;
  }
  const myApplicationsUrl = env.OVERA_MY_APPLICATIONS_URL ?? file.myApplicationsUrl;
  if (myApplicationsUrl) config.myApplicationsUrl = parsePublicUrl(myApplicationsUrl, 'OVERA_MY_APPLICATIONS_URL');
  const tsaUrl = env.OVERA_TSA_URL ?? file.tsaUrl;
  if (tsaUrl) config.tsaUrl = tsaUrl;
  const padesLevel = env.OVERA_PADES_LEVEL ?? file.padesLevel;
  if (padesLevel !== undefined) {
    const level = String(padesLevel).trim().toUpperCase() as PadesLevel;
    if (!PADES_LEVEL_NAMES.includes(level)) throw new ConfigError(`OVERA_PADES_LEVEL: "${padesLevel}" is not one of ${PADES_LEVEL_NAMES.join(', ')}`);
    if (level !== 'B-B' && !config.tsaUrl) throw new ConfigError(`OVERA_PADES_LEVEL: ${level} needs a time-stamping authority (set OVERA_TSA_URL)`);
    config.padesLevel = level;
  }
  const onFailure = String(env.OVERA_LTV_ON_FAILURE ?? file.ltvOnFailure ?? DEFAULT_LTV.ltvOnFailure).trim().toLowerCase();
  if (onFailure !== 'fail' && onFailure !== 'defer') throw new ConfigError(`OVERA_LTV_ON_FAILURE: "${onFailure}" is not fail or defer`);
  config.ltvOnFailure = onFailure;
  config.revocationTimeoutMs = parsePositiveInt('OVERA_REVOCATION_TIMEOUT_MS', env.OVERA_REVOCATION_TIMEOUT_MS ?? file.revocationTimeoutMs ?? DEFAULT_LTV.revocationTimeoutMs);
  config.archiveWindowDays = parsePositiveInt('OVERA_ARCHIVE_WINDOW_DAYS', env.OVERA_ARCHIVE_WINDOW_DAYS ?? file.archiveWindowDays ?? DEFAULT_LTV.archiveWindowDays);
  config.archiveIntervalMinutes = parseWholeNumber('OVERA_ARCHIVE_INTERVAL_MINUTES', env.OVERA_ARCHIVE_INTERVAL_MINUTES ?? file.archiveIntervalMinutes ?? DEFAULT_LTV.archiveIntervalMinutes);
  config.publicUrl = parsePublicUrl(env.OVERA_PUBLIC_URL ?? file.publicUrl ?? `http://localhost:${port}`);
  const issueOnApproval = env.OVERA_ISSUE_ON_APPROVAL ?? file.issueOnApproval;
  if (issueOnApproval !== undefined) config.issueOnApproval = !['false', '0', 'no', 'off', false].includes(issueOnApproval as string | boolean);
  const staticDir = env.OVERA_STATIC_DIR ?? file.staticDir;
  if (staticDir) config.staticDir = resolve(cwd, staticDir);
  const trustedLists = env.OVERA_TRUSTED_LISTS ?? file.trustedLists;
  if (trustedLists !== undefined && trustedLists !== '') config.trustedLists = parseTrustedLists(trustedLists, cwd);
  config.trustedListsRefreshMinutes = parseWholeNumber('OVERA_TRUSTED_LISTS_REFRESH_MINUTES', env.OVERA_TRUSTED_LISTS_REFRESH_MINUTES ?? file.trustedListsRefreshMinutes ?? DEFAULT_TRUSTED_LISTS.trustedListsRefreshMinutes);
  config.trustedListsFetchTimeoutMs = parsePositiveInt('OVERA_TRUSTED_LISTS_FETCH_TIMEOUT_MS', env.OVERA_TRUSTED_LISTS_FETCH_TIMEOUT_MS ?? file.trustedListsFetchTimeoutMs ?? DEFAULT_TRUSTED_LISTS.trustedListsFetchTimeoutMs);
  const holidays = env.OVERA_PUBLIC_HOLIDAYS ?? file.publicHolidays;
  if (holidays !== undefined) config.publicHolidays = parseHolidays(holidays, cwd);
  const reminderDays = env.OVERA_DEADLINE_REMINDER_DAYS ?? file.deadlineReminderDays;
  if (reminderDays !== undefined) config.deadlineReminderDays = parseReminderDays(reminderDays);
  config.deadlineSoonDays = parseWholeNumber('OVERA_DEADLINE_SOON_DAYS', env.OVERA_DEADLINE_SOON_DAYS ?? file.deadlineSoonDays ?? DEFAULT_DEADLINES.deadlineSoonDays);
  config.deadlineIntervalMinutes = parseWholeNumber('OVERA_DEADLINE_INTERVAL_MINUTES', env.OVERA_DEADLINE_INTERVAL_MINUTES ?? file.deadlineIntervalMinutes ?? DEFAULT_DEADLINES.deadlineIntervalMinutes);
  const backOfficeUrl = env.OVERA_BACK_OFFICE_URL ?? file.backOfficeUrl;
  if (backOfficeUrl) config.backOfficeUrl = parsePublicUrl(backOfficeUrl, 'OVERA_BACK_OFFICE_URL');
  return config;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day `YYYY-MM-DD` (kept here rather than imported: config stays free of imports). */
function isCalendarDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/**
 * The public holidays: a list of dates (an array in the file, or dates separated by commas or
 * spaces), or the path of a file with such a list (one or more dates a line, `#` starts a
 * comment; or a JSON array). Sorted, without repeats.
 */
function parseHolidays(value: string[] | string, cwd: string): string[] {
  let items: string[];
  if (Array.isArray(value)) {
    items = value.map((v) => String(v).trim());
  } else {
    const text = value.trim();
    const tokens = text.split(/[\s,]+/).filter(Boolean);
    if (tokens.length > 0 && tokens.every((t) => DATE.test(t))) {
      items = tokens;
    } else {
      const path = resolve(cwd, text);
      let content: string;
      try {
        content = readFileSync(path, 'utf8');
      } catch (err) {
        throw new ConfigError(`OVERA_PUBLIC_HOLIDAYS: "${text}" is neither a list of dates YYYY-MM-DD nor a readable file (${(err as Error).message})`);
      }
      if (content.trim().startsWith('[')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(content);
        } catch (err) {
          throw new ConfigError(`OVERA_PUBLIC_HOLIDAYS: ${path} is not a JSON array of dates (${(err as Error).message})`);
        }
        if (!Array.isArray(parsed)) throw new ConfigError(`OVERA_PUBLIC_HOLIDAYS: ${path} is not a JSON array of dates`);
        items = parsed.map((v) => String(v).trim());
      } else {
        items = content.split('\n').flatMap((line) => line.replace(/#.*/, '').split(/[\s,]+/)).filter(Boolean);
      }
    }
  }
  for (const d of items) if (!isCalendarDay(d)) throw new ConfigError(`OVERA_PUBLIC_HOLIDAYS: "${d}" is not a date YYYY-MM-DD`);
  return [...new Set(items)].sort();
}

/** `5,1` (or an array in the file): days before the due date, each 0–365, at most 10. */
function parseReminderDays(value: number[] | string): number[] {
  const items = Array.isArray(value) ? value.map(String) : value.split(',').map((v) => v.trim()).filter(Boolean);
  if (items.length > 10) throw new ConfigError('OVERA_DEADLINE_REMINDER_DAYS: at most 10 reminders');
  const days = items.map((v) => {
    const n = /^\d{1,3}$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n > 365) throw new ConfigError(`OVERA_DEADLINE_REMINDER_DAYS: "${v}" is not a number of days 0–365`);
    return n;
  });
  return [...new Set(days)].sort((a, b) => b - a);
}

/** Like parsePositiveInt, 0 allowed. */
function parseWholeNumber(name: string, value: string | number): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(`${name}: "${value}" is not a whole number`);
  return n;
}

function parsePositiveInt(name: string, value: string | number): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`${name}: "${value}" is not a positive whole number`);
  return n;
}

/** `"30/60"` (30 per 60 s), `"30"` (per 60 s), `"off"` or `0`, or `{limit, windowSeconds}` in the file. */
function parseRateLimits(env: NodeJS.ProcessEnv, file: Partial<Record<RateLimitName, RateLimitInput>>): Record<RateLimitName, RateLimitSetting> {
  const out = {} as Record<RateLimitName, RateLimitSetting>;
  for (const name of Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[]) {
    const envName = RATE_LIMIT_ENV[name];
    const raw: RateLimitInput | undefined = env[envName] ?? file[name];
    const where = env[envName] !== undefined ? envName : `rateLimits.${name}`;
    out[name] = raw === undefined ? { ...DEFAULT_RATE_LIMITS[name] } : parseRateLimit(where, raw, DEFAULT_RATE_LIMITS[name]);
  }
  return out;
}

function parseRateLimit(where: string, raw: RateLimitInput, fallback: RateLimitSetting): RateLimitSetting {
  const bad = () => new ConfigError(`${where}: "${typeof raw === 'object' ? JSON.stringify(raw) : raw}" is not a rate limit (write N/SECONDS, e.g. 30/60, or off)`);
  let limit: unknown;
  let windowSeconds: unknown = fallback.windowSeconds;
  if (typeof raw === 'object' && raw !== null) {
    limit = raw.limit;
    if (raw.windowSeconds !== undefined) windowSeconds = raw.windowSeconds;
  } else {
    const text = String(raw).trim().toLowerCase();
    if (text === 'off') return { limit: 0, windowSeconds: fallback.windowSeconds };
    const m = /^(\d{1,9})(?:\s*\/\s*(\d{1,9}))?$/.exec(text);
    if (!m) throw bad();
    limit = Number(m[1]);
    if (m[2] !== undefined) windowSeconds = Number(m[2]);
  }
  if (!Number.isSafeInteger(limit) || (limit as number) < 0) throw bad();
  if (!Number.isSafeInteger(windowSeconds) || (windowSeconds as number) < 1 || (windowSeconds as number) > 86_400) throw bad();
  return { limit: limit as number, windowSeconds: windowSeconds as number };
}

/** `false`/`0`: trust no proxy; `true`: one; a number: that many hops. */
function parseTrustProxy(value: boolean | number | string): number {
  if (value === true || value === 'true') return 1;
  if (value === false || value === 'false' || value === '') return 0;
  const n = typeof value === 'number' ? value : /^\d{1,2}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new ConfigError(`OVERA_TRUST_PROXY: "${value}" is not true, false or a number of proxies`);
  return n;
}

function parseMediaTypes(value: string[] | string): string[] {
  const types = (Array.isArray(value) ? value : value.split(',')).map((t) => String(t).trim().toLowerCase()).filter(Boolean);
  if (types.length === 0) throw new ConfigError('OVERA_UPLOAD_TYPES: at least one media type is needed');
  for (const t of types) if (!MEDIA_TYPE.test(t)) throw new ConfigError(`OVERA_UPLOAD_TYPES: "${t}" is not a media type`);
  return types;
}

function parsePublicUrl(value: string, name = 'OVERA_PUBLIC_URL'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: "${value}" is not a URL`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${name}: "${value}" must be an http(s) URL without query, fragment or credentials`);
  }
  return url.href.replace(/\/+$/, '');
}

function parsePort(value: string | number): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT: "${value}" is not a port number`);
  return port;
}
