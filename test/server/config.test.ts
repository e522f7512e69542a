import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError, padesLevelOf } from '../../server/config.ts';

test('defaults follow DESIGN.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'overa-cfg-'));
  try {
    const c = loadConfig({}, dir);
    assert.equal(c.port, 8080);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.dataDir, join(dir, 'data'));
    assert.deepEqual(c.origins, ['http://localhost:8080']);
    assert.equal(c.rpId, 'localhost');
    assert.equal(c.challengeTtl, 300);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('the config file is read and the environment wins over it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'overa-cfg-'));
  try {
    writeFileSync(join(dir, 'custom.json'), JSON.stringify({ port: 9000, rpId: 'file.example', origins: ['https://a.example'], formsDir: 'forms' }));
    const fromFile = loadConfig({ OVERA_CONFIG: 'custom.json' }, dir);
    assert.equal(fromFile.port, 9000);
    assert.equal(fromFile.rpId, 'file.example');
    assert.deepEqual(fromFile.origins, ['https://a.example']);
    assert.equal(fromFile.formsDir, join(dir, 'forms'));
    const env = loadConfig(
      { OVERA_CONFIG: 'custom.json', PORT: '9100', OVERA_RP_ID: 'env.example', OVERA_ORIGINS: 'https://b.example, https://c.example', DATABASE_URL: 'postgres://x/y', OVERA_TSA_URL: 'http://tsa', OVERA_KEY_PASSPHRASE: 'p' },
      dir,
    );
    assert.equal(env.port, 9100);
    assert.equal(env.rpId, 'env.example');
    assert.deepEqual(env.origins, ['https://b.example', 'https://c.example']);
    assert.equal(env.databaseUrl, 'postgres://x/y');
    assert.equal(env.tsaUrl, 'http://tsa');
    assert.equal(env.keyPassphrase, 'p');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('bad configuration is a clear error naming the setting', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }, tmpdir()), (e: Error) => e instanceof ConfigError && /PORT/.test(e.message));
  assert.throws(() => loadConfig({ OVERA_ORIGINS: 'https://ok.example,not-an-origin' }, tmpdir()), /OVERA_ORIGINS/);
  assert.throws(() => loadConfig({ OVERA_ORIGINS: 'https://a.example/path' }, tmpdir()), /OVERA_ORIGINS/);
  assert.throws(() => loadConfig({ OVERA_CONFIG: 'missing.json' }, tmpdir()), /cannot read config file/);
});

test('upload settings: defaults, file and environment, and bad values named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'overa-cfg-'));
  try {
    const d = loadConfig({}, dir);
    assert.equal(d.uploadMaxBytes, 25 * 1024 * 1024);
    assert.deepEqual(d.uploadTypes, ['application/pdf', 'image/jpeg', 'image/png']);
    assert.equal(d.uploadMaxPerDay, 200);
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ uploadMaxBytes: 5_000_000, uploadTypes: ['application/pdf'], uploadMaxPerDay: 10 }));
    const f = loadConfig({ OVERA_CONFIG: 'c.json' }, dir);
    assert.equal(f.uploadMaxBytes, 5_000_000);
    assert.deepEqual(f.uploadTypes, ['application/pdf']);
    assert.equal(f.uploadMaxPerDay, 10);
    const e = loadConfig({ OVERA_CONFIG: 'c.json', OVERA_UPLOAD_MAX_BYTES: '1048576', OVERA_UPLOAD_TYPES: 'image/png, Image/JPEG', OVERA_UPLOAD_MAX_PER_DAY: '3' }, dir);
    assert.equal(e.uploadMaxBytes, 1048576);
    assert.deepEqual(e.uploadTypes, ['image/png', 'image/jpeg']);
    assert.equal(e.uploadMaxPerDay, 3);
    assert.throws(() => loadConfig({ OVERA_UPLOAD_MAX_BYTES: '10MB' }, dir), /OVERA_UPLOAD_MAX_BYTES/);
    assert.throws(() => loadConfig({ OVERA_UPLOAD_MAX_BYTES: '0' }, dir), /OVERA_UPLOAD_MAX_BYTES/);
    assert.throws(() => loadConfig({ OVERA_UPLOAD_MAX_PER_DAY: '-1' }, dir), /OVERA_UPLOAD_MAX_PER_DAY/);
    assert.throws(() => loadConfig({ OVERA_UPLOAD_TYPES: 'pdf' }, dir), /OVERA_UPLOAD_TYPES/);
    assert.throws(() => loadConfig({ OVERA_UPLOAD_TYPES: ' , ' }, dir), /OVERA_UPLOAD_TYPES/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('verification limits and HTTP timeouts: defaults, file and environment, and bad values named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'overa-cfg-'));
  try {
    const d = loadConfig({}, dir);
    assert.equal(d.verifyConcurrency, 2);
    assert.equal(d.verifyQueue, 8);
    assert.equal(d.verifyQueueWaitMs, 5000);
    assert.equal(d.verifyHashFactor, 4);
    assert.equal(d.verifyHashExtraBytes, 32 * 1024 * 1024);
    assert.equal(d.verifyMaxSignatures, 20);
    assert.equal(d.verifyMaxSignatureChecks, 100);
    assert.equal(d.headersTimeoutMs, 30_000);
    assert.equal(d.requestTimeoutMs, 300_000);
    assert.equal(d.bodyIdleTimeoutMs, 30_000);
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ verifyConcurrency: 4, verifyQueue: 0, verifyHashFactor: 2, bodyIdleTimeoutMs: 10_000, headersTimeoutMs: 5000 }));
    const f = loadConfig({ OVERA_CONFIG: 'c.json' }, dir);
    assert.equal(f.verifyConcurrency, 4);
    assert.equal(f.verifyQueue, 0);
    assert.equal(f.verifyHashFactor, 2);
    assert.equal(f.bodyIdleTimeoutMs, 10_000);
    assert.equal(f.headersTimeoutMs, 5000);
    const e = loadConfig(
      { OVERA_CONFIG: 'c.json', OVERA_VERIFY_CONCURRENCY: '1', OVERA_VERIFY_QUEUE: '3', OVERA_VERIFY_QUEUE_WAIT_MS: '0', OVERA_VERIFY_HASH_FACTOR: '8', OVERA_VERIFY_HASH_EXTRA_BYTES: '0', OVERA_VERIFY_MAX_SIGNATURES: '5', OVERA_VERIFY_MAX_SIGNATURE_CHECKS: '50', OVERA_HEADERS_TIMEOUT_MS: '2000', OVERA_REQUEST_TIMEOUT_MS: '60000', OVERA_BODY_IDLE_TIMEOUT_MS: '1500' },
      dir,
    );
    assert.deepEqual(
      [e.verifyConcurrency, e.verifyQueue, e.verifyQueueWaitMs, e.verifyHashFactor, e.verifyHashExtraBytes, e.verifyMaxSignatures, e.verifyMaxSignatureChecks, e.headersTimeoutMs, e.requestTimeoutMs, e.bodyIdleTimeoutMs],
      [1, 3, 0, 8, 0, 5, 50, 2000, 60_000, 1500],
    );
    assert.throws(() => loadConfig({ OVERA_VERIFY_CONCURRENCY: '0' }, dir), /OVERA_VERIFY_CONCURRENCY/);
    assert.throws(() => loadConfig({ OVERA_VERIFY_QUEUE: 'many' }, dir), /OVERA_VERIFY_QUEUE/);
    assert.throws(() => loadConfig({ OVERA_BODY_IDLE_TIMEOUT_MS: '1.5' }, dir), /OVERA_BODY_IDLE_TIMEOUT_MS/);
    // Node refuses a headers timeout longer than the request's: so does the config, by name.
    assert.throws(() => loadConfig({ OVERA_HEADERS_TIMEOUT_MS: '90000', OVERA_REQUEST_TIMEOUT_MS: '60000' }, dir), /OVERA_HEADERS_TIMEOUT_MS/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('long-term signatures: OVERA_PADES_LEVEL (default: B-T with a TSA, else B-B), OVERA_LTV_ON_FAILURE, the archive job\'s window and interval', () => {
  const plain = loadConfig({}, tmpdir());
  assert.equal(padesLevelOf(plain), 'B-B');
  assert.equal(plain.ltvOnFailure, 'fail');
  assert.equal(plain.archiveWindowDays, 90);
  assert.equal(plain.archiveIntervalMinutes, 60);
  assert.equal(padesLevelOf(loadConfig({ OVERA_TSA_URL: 'http://tsa' }, tmpdir())), 'B-T');
  const lta = loadConfig({ OVERA_TSA_URL: 'http://tsa', OVERA_PADES_LEVEL: 'b-lta', OVERA_LTV_ON_FAILURE: 'defer', OVERA_ARCHIVE_WINDOW_DAYS: '30', OVERA_ARCHIVE_INTERVAL_MINUTES: '0', OVERA_REVOCATION_TIMEOUT_MS: '2500' }, tmpdir());
  assert.equal(padesLevelOf(lta), 'B-LTA');
  assert.equal(lta.ltvOnFailure, 'defer');
  assert.equal(lta.archiveWindowDays, 30);
  assert.equal(lta.archiveIntervalMinutes, 0);
  assert.equal(lta.revocationTimeoutMs, 2500);
  assert.throws(() => loadConfig({ OVERA_PADES_LEVEL: 'B-LT' }, tmpdir()), /B-LT needs a time-stamping authority \(set OVERA_TSA_URL\)/);
  assert.throws(() => loadConfig({ OVERA_TSA_URL: 'http://tsa', OVERA_PADES_LEVEL: 'B-X' }, tmpdir()), /OVERA_PADES_LEVEL: "B-X" is not one of B-B, B-T, B-LT, B-LTA/);
  assert.throws(() => loadConfig({ OVERA_LTV_ON_FAILURE: 'ignore' }, tmpdir()), /OVERA_LTV_ON_FAILURE: "ignore" is not fail or defer/);
});

test('e-mail: both OVERA_SMTP_URL and OVERA_MAIL_FROM, or neither; bad values named', () => {
  const none = loadConfig({}, tmpdir());
  assert.equal(none.smtpUrl, undefined);
  assert.equal(none.mailFrom, undefined);
  const both = loadConfig({ OVERA_SMTP_URL: 'smtps://u:p@mail.example.org:465', OVERA_MAIL_FROM: 'Opština <no-reply@example.org>', OVERA_MY_APPLICATIONS_URL: 'https://opstina.example.rs/moji-zahtevi/' }, tmpdir());
  assert.equal(both.smtpUrl, 'smtps://u:p@mail.example.org:465');
  assert.equal(both.mailFrom, 'Opština <no-reply@example.org>');
  assert.equal(both.myApplicationsUrl, 'https://opstina.example.rs/moji-zahtevi');
  assert.throws(() => loadConfig({ OVERA_SMTP_URL: 'smtp://127.0.0.1:25' }, tmpdir()), /OVERA_SMTP_URL and OVERA_MAIL_FROM/);
  assert.throws(() => loadConfig({ OVERA_MAIL_FROM: 'a@example.org' }, tmpdir()), /OVERA_SMTP_URL and OVERA_MAIL_FROM/);
  assert.throws(() => loadConfig({ OVERA_SMTP_URL: 'http://mail.example.org', OVERA_MAIL_FROM: 'a@example.org' }, tmpdir()), /OVERA_SMTP_URL: must be/);
  assert.throws(() => loadConfig({ OVERA_MY_APPLICATIONS_URL: 'ftp://x' }, tmpdir()), /OVERA_MY_APPLICATIONS_URL/);
});

test('legal deadlines: public holidays as a list, a text file or a JSON file; reminder days; bad values named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'overa-cfg-'));
  try {
    const d = loadConfig({}, dir);
    assert.equal(d.publicHolidays, undefined, 'absent: the services use Serbia\'s 2026 list');
    assert.equal(d.deadlineReminderDays, undefined);
    assert.equal(d.deadlineSoonDays, 3);
    assert.equal(d.deadlineIntervalMinutes, 15);

    assert.deepEqual(loadConfig({ OVERA_PUBLIC_HOLIDAYS: '2027-01-07, 2027-01-01 2027-01-02' }, dir).publicHolidays, ['2027-01-01', '2027-01-02', '2027-01-07']);
    writeFileSync(join(dir, 'holidays.txt'), '# Srbija 2027\n2027-01-01 2027-01-02  # Nova godina\n2027-01-07\n\n2027-01-07\n');
    assert.deepEqual(loadConfig({ OVERA_PUBLIC_HOLIDAYS: 'holidays.txt' }, dir).publicHolidays, ['2027-01-01', '2027-01-02', '2027-01-07'], 'relative to the working directory, repeats dropped');
    writeFileSync(join(dir, 'holidays.json'), '["2027-11-11", "2027-05-01"]');
    assert.deepEqual(loadConfig({ OVERA_PUBLIC_HOLIDAYS: join(dir, 'holidays.json') }, dir).publicHolidays, ['2027-05-01', '2027-11-11']);
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ publicHolidays: ['2027-02-15'], deadlineReminderDays: [1, 7], deadlineSoonDays: 2, backOfficeUrl: 'https://opstina.example/sluzbenici/' }));
    const f = loadConfig({ OVERA_CONFIG: 'c.json' }, dir);
    assert.deepEqual([f.publicHolidays, f.deadlineReminderDays, f.deadlineSoonDays, f.backOfficeUrl], [['2027-02-15'], [7, 1], 2, 'https://opstina.example/sluzbenici']);
    assert.deepEqual(loadConfig({ OVERA_CONFIG: 'c.json', OVERA_DEADLINE_REMINDER_DAYS: '10, 3,0', OVERA_DEADLINE_INTERVAL_MINUTES: '0' }, dir).deadlineReminderDays, [10, 3, 0]);
    assert.deepEqual(loadConfig({ OVERA_DEADLINE_REMINDER_DAYS: '' }, dir).deadlineReminderDays, [], 'empty: no reminders');

    assert.throws(() => loadConfig({ OVERA_PUBLIC_HOLIDAYS: '2027-02-30' }, dir), (e: Error) => e instanceof ConfigError && /OVERA_PUBLIC_HOLIDAYS: "2027-02-30"/.test(e.message));
    assert.throws(() => loadConfig({ OVERA_PUBLIC_HOLIDAYS: 'no-such-file.txt' }, dir), /OVERA_PUBLIC_HOLIDAYS: "no-such-file.txt" is neither/);
    writeFileSync(join(dir, 'bad.txt'), '2027-01-01\n7. januar\n');
    assert.throws(() => loadConfig({ OVERA_PUBLIC_HOLIDAYS: 'bad.txt' }, dir), /OVERA_PUBLIC_HOLIDAYS: "7\."/);
    assert.throws(() => loadConfig({ OVERA_DEADLINE_REMINDER_DAYS: '5,x' }, dir), /OVERA_DEADLINE_REMINDER_DAYS: "x"/);
    assert.throws(() => loadConfig({ OVERA_DEADLINE_REMINDER_DAYS: '400' }, dir), /OVERA_DEADLINE_REMINDER_DAYS/);
    assert.throws(() => loadConfig({ OVERA_DEADLINE_SOON_DAYS: '-1' }, dir), /OVERA_DEADLINE_SOON_DAYS/);
    assert.throws(() => loadConfig({ OVERA_BACK_OFFICE_URL: 'ftp://x' }, dir), /OVERA_BACK_OFFICE_URL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
