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
