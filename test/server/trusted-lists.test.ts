/**
 * Trusted lists on the server: configured as files with pinned certificate files
 * (OVERA_TRUSTED_LISTS), refreshed into the database (migration 019), served by
 * GET /api/v1/trust and used by POST /api/v1/verify; a refused refresh keeps the last good
 * copy; the refresh lease keeps a second instance out; a copy past its NextUpdate is no longer
 * used. The lists are signed by xmlsec1 (test/helpers/trusted-lists.ts). SQLite, or PostgreSQL
 * with DATABASE_URL.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLtvPki, type LtvPki } from '../helpers/ltv-pdf.ts';
import { addSignatureTimestamp, basePdf, signEtsiWithOpenssl } from '../helpers/pdf-sign.ts';
import { createTrustFixture, type TrustFixture, type TrustLists } from '../helpers/trusted-lists.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { ConfigError, loadConfig, parseTrustedLists } from '../../server/config.ts';
import { currentTrustedLists, refreshTrustedLists, type TrustedListStatus } from '../../server/services/trusted-lists.ts';
import { trustedListLeases } from '../../server/db/trusted-lists.ts';
import type { VerifiedTrustedList } from '../../components/core/trust-lists/model.ts';
import type { VerificationReport } from '../../components/core/report.ts';

let fx: TrustFixture;
let tsa: LtvPki;
let lists: TrustLists;
let server: TestServer;
let qualifiedPdf: Uint8Array;
const file = (name: string) => join(fx.dir, name);

type TrustBody = { anchors: unknown[]; trustedLists: TrustedListStatus[]; verifiedLists?: VerifiedTrustedList[] };

before(async () => {
  fx = createTrustFixture();
  tsa = createLtvPki('ec');
  qualifiedPdf = addSignatureTimestamp(tsa.asTestPki(), await signEtsiWithOpenssl(tsa.asTestPki(), await basePdf({ objectStreams: false }), fx.qseal, { contentsBytes: 12000 }));
  lists = fx.writeLists(new Date(Date.now() - 3_600_000));
  writeFileSync(file('lotl.xml'), lists.lotl);
  writeFileSync(file('rs.xml'), lists.rs);
  writeFileSync(file('si.xml'), lists.si);
  // The national lists are pinned by the list of lists' pointers alone; the list of lists by its file.
  server = await startTestServer(
    { OVERA_TRUSTED_LISTS: `lotl=${file('lotl.xml')}|${fx.lotlSigner.certPath}; RS=${file('rs.xml')}; SI=${file('si.xml')}`, OVERA_TRUSTED_LISTS_REFRESH_MINUTES: '0' },
    { trustAnchors: () => [tsa.rootPem] },
  );
});

after(async () => {
  await server?.close();
  fx?.cleanup();
  tsa?.cleanup();
});

const trust = async (query = '') => (await server.api<TrustBody>('GET', `/api/v1/trust${query}`)).body;

describe('trusted lists on the server', () => {
  test('before a refresh every configured list is missing, and a seal of another authority is not trusted', async () => {
    const body = await trust();
    assert.deepEqual(body.trustedLists.map((l) => [l.name, l.status]), [['lotl', 'missing'], ['RS', 'missing'], ['SI', 'missing']]);
    const res = await fetch(`${server.url}/api/v1/verify`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: new Blob([qualifiedPdf as Uint8Array<ArrayBuffer>]) });
    const report = (await res.json()) as VerificationReport;
    assert.equal(report.indication, 'INDETERMINATE');
  });

  test('a refresh stores the three lists; GET /trust shows them, and with include=services the verified lists', async () => {
    const result = await refreshTrustedLists(server.app.deps);
    assert.equal(result.ran, true);
    assert.deepEqual(result.lists.map((l) => [l.name, l.outcome]), [['lotl', 'updated'], ['RS', 'updated'], ['SI', 'updated']]);
    const body = await trust();
    assert.deepEqual(body.trustedLists.map((l) => [l.name, l.status, l.territory, l.sequenceNumber, l.services]), [
      ['lotl', 'current', 'EU', 300, 0],
      ['RS', 'current', 'RS', 7, 2],
      ['SI', 'current', 'SI', 3, 1],
    ]);
    assert.equal(body.verifiedLists, undefined);
    const full = await trust('?include=services');
    assert.equal(full.verifiedLists?.length, 3);
    const rs = full.verifiedLists!.find((l) => l.list.territory === 'RS')!;
    assert.deepEqual(rs.list.providers[0]!.services.map((s) => s.states.map((st) => st.status.split('/').pop())), [['granted', 'undersupervision'], ['withdrawn', 'granted']]);
    // While nothing changes, the verifier gets the same set object (it reads a set's certificates once per object).
    assert.equal((await currentTrustedLists(server.app.deps)).set, (await currentTrustedLists(server.app.deps)).set);
    // Not due again right away.
    const again = await refreshTrustedLists(server.app.deps);
    assert.deepEqual(again.lists.map((l) => l.outcome), ['not-due', 'not-due', 'not-due']);
  });

  test('POST /verify uses the current lists: a qualified seal of another authority is QESeal', async () => {
    const res = await fetch(`${server.url}/api/v1/verify`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: new Blob([qualifiedPdf as Uint8Array<ArrayBuffer>]) });
    const report = (await res.json()) as VerificationReport;
    assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report).slice(0, 2000));
    assert.equal(report.signatures[0]!.qualification?.level, 'QESeal');
    assert.equal(report.signatures[0]!.qualification?.territory, 'RS');
  });

  test('a tampered list and one signed by an unpinned key are refused, and the last good copy stays in use', async () => {
    writeFileSync(file('rs.xml'), lists.rsTampered);
    writeFileSync(file('si.xml'), fx.sign(unsignedSi(), fx.rogueSigner));
    const result = await refreshTrustedLists(server.app.deps, { force: true });
    assert.deepEqual(result.lists.map((l) => [l.name, l.outcome, l.reason]), [['lotl', 'updated', undefined], ['RS', 'failed', 'signature-invalid'], ['SI', 'failed', 'signer-not-pinned']]);
    const body = await trust();
    const rs = body.trustedLists.find((l) => l.name === 'RS')!;
    assert.equal(rs.status, 'current');
    assert.equal(rs.sequenceNumber, 7);
    assert.equal(rs.lastError?.reason, 'signature-invalid');
    assert.equal(body.trustedLists.find((l) => l.name === 'SI')!.lastError?.reason, 'signer-not-pinned');
    // And an expired list: refused too, the copy held stays.
    writeFileSync(file('rs.xml'), lists.rsExpired);
    const expired = await refreshTrustedLists(server.app.deps, { force: true });
    assert.equal(expired.lists.find((l) => l.name === 'RS')!.reason, 'expired');
    assert.equal((await trust()).trustedLists.find((l) => l.name === 'RS')!.sequenceNumber, 7);
    // The good one again: the error is cleared.
    writeFileSync(file('rs.xml'), lists.rs);
    writeFileSync(file('si.xml'), lists.si);
    const good = await refreshTrustedLists(server.app.deps, { force: true });
    assert.deepEqual(good.lists.map((l) => l.outcome), ['updated', 'updated', 'updated']);
    assert.equal((await trust()).trustedLists.find((l) => l.name === 'RS')!.lastError, undefined);
  });

  test('one instance at a time: while another holds the refresh lease, nothing is done here', async () => {
    const now = server.app.deps.now();
    assert.equal(await trustedListLeases.take(server.db, 'other-instance', now, now + 60_000), true);
    const blocked = await refreshTrustedLists(server.app.deps, { force: true, worker: 'this-instance' });
    assert.deepEqual(blocked, { ran: false, lists: [] });
    // The lease runs out (the other instance died): this one takes it.
    server.clock.offset = 61_000;
    const ran = await refreshTrustedLists(server.app.deps, { force: true, worker: 'this-instance' });
    assert.equal(ran.ran, true);
    server.clock.offset = 0;
    await trustedListLeases.release(server.db, 'other-instance');
  });

  test('a copy past its NextUpdate is shown as expired and no longer used', async () => {
    const rs = (await trust()).trustedLists.find((l) => l.name === 'RS')!;
    server.clock.offset = Date.parse(rs.nextUpdate!) - Date.now() + 60_000;
    try {
      const body = await trust('?include=services');
      assert.equal(body.trustedLists.find((l) => l.name === 'RS')!.status, 'expired');
      assert.equal(body.verifiedLists!.some((l) => l.list.territory === 'RS'), false);
    } finally {
      server.clock.offset = 0;
    }
  });
});

describe('OVERA_TRUSTED_LISTS', () => {
  test('compact and JSON forms, the EU list of lists by default location, and clear errors', () => {
    assert.deepEqual(parseTrustedLists('lotl|/etc/overa/oj.pem; rs=https://tl.example/rs.xml', '/cwd'), [
      { name: 'lotl', location: 'https://ec.europa.eu/tools/lotl/eu-lotl.xml', pinned: ['/etc/overa/oj.pem'] },
      { name: 'RS', location: 'https://tl.example/rs.xml', pinned: [] },
    ]);
    assert.deepEqual(parseTrustedLists('[{"name":"AT","location":"lists/at.xml","pinned":["at.pem"]}]', '/cwd'), [{ name: 'AT', location: '/cwd/lists/at.xml', pinned: ['/cwd/at.pem'] }]);
    assert.throws(() => parseTrustedLists('RS', '/cwd'), (e: Error) => e instanceof ConfigError && /epotpis\.mtt\.gov\.rs/.test(e.message));
    assert.throws(() => parseTrustedLists('lotl', '/cwd'), /pinned certificate files/);
    assert.throws(() => parseTrustedLists('Serbia=x.xml', '/cwd'), /neither lotl nor a two-letter territory/);
    assert.throws(() => parseTrustedLists('RS=a.xml;rs=b.xml', '/cwd'), /listed twice/);
    assert.equal(loadConfig({ OVERA_DATA_DIR: '/tmp/x' }, '/tmp').trustedLists, undefined);
  });
});

/** The SI list without its signature, to be signed again by another key. */
function unsignedSi(): string {
  return lists.si.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
}
