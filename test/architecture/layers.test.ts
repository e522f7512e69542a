/**
 * The layer rules of DESIGN.md, enforced: every import in components/ and server/ is checked
 * against test/architecture/layers.json. Core's freedom from DOM and Node types is also
 * checked by the compiler (components/core/tsconfig.json, part of `npm run typecheck`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers, type Layer, type SourceFile } from './layers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { layers } = JSON.parse(readFileSync(join(ROOT, 'test/architecture/layers.json'), 'utf8')) as { layers: Layer[] };

function sources(dir: string): SourceFile[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => {
      const path = relative(ROOT, join(ROOT, dir, f)).split(sep).join('/');
      return { path, text: readFileSync(join(ROOT, path), 'utf8') };
    });
}

test('every import in components/ and server/ keeps the layer rules', () => {
  const files = [...sources('components'), ...sources('server')];
  assert.ok(files.length > 100, `read ${files.length} files`);
  const violations = checkLayers(files, layers);
  assert.deepEqual(violations.map((v) => `${v.file}: ${v.specifier} (${v.rule})`), []);
});

test('a forbidden import is caught (the rules are not vacuous)', () => {
  const broken: SourceFile[] = [
    { path: 'server/routes/audit.ts', text: "import { auditLog } from '../db/audit-log.ts';" },
    { path: 'server/routes/cases.ts', text: "export { inboxRoutes } from './inbox.ts';" },
    { path: 'server/services/workflow.ts', text: "import type { Router } from '../routes/cases.ts';" },
    { path: 'components/core/digest.ts', text: "import { createHash } from 'node:crypto';\nconst m = await import('../client/client.ts');" },
    { path: 'components/sign/sign.ts', text: "import { createApp } from '../../server/app.ts';" },
    { path: 'components/core/report.ts', text: "import { html } from 'lit';" },
  ];
  const rules = checkLayers(broken, layers).map((v) => `${v.file}: ${v.rule}`);
  assert.deepEqual(rules, [
    'server/routes/audit.ts: routes may not import db',
    'server/routes/cases.ts: routes may not import routes',
    'server/services/workflow.ts: services may not import routes',
    'components/core/digest.ts: core may not import Node built-ins',
    'components/core/digest.ts: core may not import client',
    'components/sign/sign.ts: elements may not import server',
    'components/core/report.ts: core may not import the package lit',
  ]);
});
