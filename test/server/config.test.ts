import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../server/config.ts';

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
