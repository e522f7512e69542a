import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { loadForms, FormDefinitionError } from '../../server/services/forms.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/overa.js', import.meta.url));
const run = promisify(execFile);

function withForms(mutate: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'overa-forms-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  mutate(dir);
  return dir;
}

type Editable = Record<string, unknown> & { -readonly [K in keyof FormDefinition]: FormDefinition[K] };

function edit(dir: string, file: string, change: (def: Editable) => void): void {
  const path = join(dir, file);
  const def = JSON.parse(readFileSync(path, 'utf8'));
  change(def);
  writeFileSync(path, JSON.stringify(def));
}

describe('form definitions at start-up', () => {
  test('the shipped examples load', () => {
    const forms = loadForms(EXAMPLES);
    assert.deepEqual(forms.list().map((f) => f.id), ['birth-register-extract', 'building-permit', 'certificate-of-residence', 'internal-memo', 'request-for-approval', 'residence-registration']);
  });

  test('a broken definition is refused with the file and the JSON path at fault', () => {
    const cases: [string, (d: Editable) => void, RegExp][] = [
      ['building-permit.json', (d) => { (d.fields[0] as unknown as Record<string, unknown>).type = 'colour'; }, /building-permit\.json: \/fields\/0\/type/],
      ['building-permit.json', (d) => { d.surprise = true; }, /building-permit\.json: \/surprise/],
      ['certificate-of-residence.json', (d) => { (d.fields[1] as { name: string }).name = d.fields[0]!.name; }, /certificate-of-residence\.json: \/fields\/1\/name/],
      // A misspelt four-eyes option must not silently leave the rule on (or off).
      ['certificate-of-residence.json', (d) => { d.approvalRules = { allowSamePersonStep: true } as never; }, /certificate-of-residence\.json: \/approvalRules\/allowSamePersonStep/],
      ['certificate-of-residence.json', (d) => { d.approvalRules = { allowSamePersonSteps: 'yes' } as never; }, /certificate-of-residence\.json: \/approvalRules\/allowSamePersonSteps/],
    ];
    for (const [file, change, expected] of cases) {
      const dir = withForms((d) => edit(d, file, change));
      try {
        assert.throws(() => loadForms(dir), (e: Error) => e instanceof FormDefinitionError && expected.test(e.message));
      } finally {
        rmSync(dir, { recursive: true });
      }
    }
    const dir = withForms((d) => writeFileSync(join(d, 'broken.json'), '{"id": '));
    try {
      assert.throws(() => loadForms(dir), /broken\.json: \(root\): not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('two files with the same id and version are refused; versions coexist', () => {
    const dir = withForms((d) => {
      cpSync(join(d, 'building-permit.json'), join(d, 'building-permit-copy.json'));
    });
    try {
      assert.throws(() => loadForms(dir), /defined twice/);
      edit(dir, 'building-permit-copy.json', (def) => { def.version = 2; });
      const forms = loadForms(dir);
      assert.equal(forms.get('building-permit')!.version, 2);
      assert.equal(forms.get('building-permit', 1)!.version, 1);
      assert.equal(forms.get('building-permit', 3), undefined);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('`overa start` stops with the file and path when a definition is broken', async () => {
    const dir = withForms((d) => edit(d, 'building-permit.json', (def) => { def.version = 0; }));
    const data = mkdtempSync(join(tmpdir(), 'overa-data-'));
    try {
      const res = await run(process.execPath, [BIN, 'start'], { env: { PATH: process.env.PATH, OVERA_FORMS_DIR: dir, OVERA_DATA_DIR: data, PORT: '0', OVERA_LOG_LEVEL: 'silent' } })
        .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /building-permit\.json: \/version/);
    } finally {
      rmSync(dir, { recursive: true });
      rmSync(data, { recursive: true });
    }
  });
});

describe('GET /api/v1/forms', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  });
  after(() => server.close());

  test('lists the forms and serves one, by latest or by version', async () => {
    const list = await server.api<{ forms: { id: string; version: number; signatureRequired: boolean; agencyId: string }[] }>('GET', '/api/v1/forms');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.forms.map((f) => [f.id, f.signatureRequired]), [
      ['birth-register-extract', false], ['building-permit', true], ['certificate-of-residence', false], ['residence-registration', false],
    ]);
    assert.ok(list.body.forms.every((f) => f.agencyId === 'novi-primer' && f.version >= 1));
    const one = await server.api<FormDefinition>('GET', '/api/v1/forms/building-permit');
    assert.equal(one.status, 200);
    assert.ok(one.body.fields.some((f) => f.type === 'file'));
    assert.equal((await server.api('GET', `/api/v1/forms/building-permit?version=${one.body.version}`)).status, 200);
  });

  test('unknown forms and versions are 404, a bad version 400, as problem+json', async () => {
    const missing = await server.api<{ type: string }>('GET', '/api/v1/forms/no-such-form');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.type, 'https://overa.dev/problems/form-not-found');
    assert.equal((await server.api('GET', '/api/v1/forms/building-permit?version=99')).status, 404);
    const bad = await server.api<{ errors: { field: string }[] }>('GET', '/api/v1/forms/building-permit?version=abc');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0]!.field, 'version');
  });
});
