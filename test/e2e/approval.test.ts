/**
 * Electronic approval end to end in real Chromium against the real server: a citizen applies
 * for a building permit; a clerk reviews it, urban planning and the cadastre agree in
 * parallel (each official in a browser of their own, with their own passkey), the head of
 * department approves; an open inbox hears of decisions made elsewhere at once; the citizen
 * sees each step in "My applications". Every decision carries a passkey signature that
 * verifies offline.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startE2E, addVirtualAuthenticator, type E2E } from './harness.ts';
import { citizenAppliesForBuildingPermit, decide, officialJoins, textOf, waitDeep } from './flows.ts';
import { verifyPasskeyEvidence } from '../../components/core/signing/verify-evidence.ts';
import { DEMO_RECEIVING_AGENCY } from '../../server/seed.ts';
import type { PasskeyEvidence } from '../../components/core/signing/payload.ts';

let e2e: E2E;
let dir: string;
before(async () => {
  e2e = await startE2E();
  dir = mkdtempSync(join(tmpdir(), 'overa-e2e-'));
});
after(async () => {
  await e2e.close();
  rmSync(dir, { recursive: true, force: true });
});

const MINE = 'overa-my-applications';

/** The citizen's view of the request: its status tag and the timeline. */
async function citizenSees(page: Page): Promise<{ status: string; timeline: string }> {
  await page.goto(`${e2e.url}/my-applications.html?lang=en`, { waitUntil: 'load' });
  await waitDeep(page, `${MINE} >>> [part~="row-button"]`, 'the request in My applications');
  await page.click(`${MINE} >>> [part~="row-button"]`);
  const timeline = await waitDeep(page, `${MINE} >>> [part~="timeline"]`, 'the timeline');
  const status = await waitDeep(page, `${MINE} >>> [part~="row"] .tag`);
  return { status: await textOf(status), timeline: await textOf(timeline) };
}

describe('electronic approval end to end', () => {
  test('review → two parallel agreements → approval, each signed by its official; the citizen sees every step', async () => {
    const citizenContext = await e2e.browser.createBrowserContext();
    const citizen = await citizenContext.newPage();
    const errors: string[] = [];
    citizen.on('pageerror', (err) => errors.push((err as Error).message));
    await addVirtualAuthenticator(citizen);
    const tracking = await citizenAppliesForBuildingPermit(e2e, citizen, dir);

    const clerk = await officialJoins(e2e, 'Petar Referent', ['clerk']);
    await decide(clerk, tracking, 'Reviewed, pass it on', 'Dokumentacija je potpuna.');
    assert.match((await citizenSees(citizen)).timeline, /reviewed the application/);

    // Both agreeing departments have the inbox open; the second hears of the first's decision live.
    const urbanism = await officialJoins(e2e, 'Jelena Urbanista', ['urbanism']);
    const cadastre = await officialJoins(e2e, 'Dragan Katastar', ['cadastre']);
    await waitDeep(cadastre.page, 'overa-approval-inbox >>> [part~="row-button"]', 'the request in the cadastre inbox');
    await decide(urbanism, tracking, 'Agree');
    await waitDeep(cadastre.page, 'overa-approval-inbox >>> [part~="unread"]', 'the live update in the cadastre inbox');
    await decide(cadastre, tracking, 'Agree');
    const afterAgreements = await citizenSees(citizen);
    assert.equal((afterAgreements.timeline.match(/gave its agreement/g) ?? []).length, 2);

    // The land registry's official has "Received documents" open, empty, before the approval:
    // the issued document is sent there and arrives live (server-sent), without a reload.
    const rgz = await officialJoins(e2e, 'Zoran Katastar', ['clerk'], DEMO_RECEIVING_AGENCY.id);
    await (await waitDeep(rgz.page, 'overa-approval-inbox >>> .tab:nth-of-type(2)', 'the inbox\'s views')).click();
    await waitDeep(rgz.page, 'overa-approval-inbox >>> .tab[aria-pressed="true"]:nth-of-type(2)', 'the reception view chosen');
    await waitDeep(rgz.page, 'overa-approval-inbox >>> .empty', 'the empty reception view');

    const head = await officialJoins(e2e, 'Milan Načelnik', ['head']);
    await decide(head, tracking, 'Approve');
    const stepper = await textOf(await waitDeep(head.page, 'overa-approval-inbox >>> [part~="stepper"]'));
    for (const line of ['Reviewed by Petar Referent', 'Agreed by Jelena Urbanista', 'Agreed by Dragan Katastar', 'Approved by Milan Načelnik']) {
      assert.ok(stepper.includes(line), `the stepper shows "${line}": ${stepper}`);
    }

    const final = await citizenSees(citizen);
    assert.match(final.status, /Approved|Document issued/);
    assert.match(final.timeline, /approved/);

    // Four decisions, each with a passkey signature over exactly that decision, verifiable offline.
    const signatures = await e2e.db('signatures').where({ subject_type: 'decision' }).select('evidence', 'action');
    assert.deepEqual(signatures.map((s) => s.action).sort(), ['agree', 'agree', 'approve', 'review']);
    for (const s of signatures) {
      const report = await verifyPasskeyEvidence(JSON.parse(s.evidence) as PasskeyEvidence, { rpId: 'localhost', allowedOrigins: [e2e.url] });
      assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report.reasons));
    }

    // The building permit names the cadastre office as a recipient: the issued document was sent
    // there. Its official acknowledges receipt with a passkey signature; both sides see it.
    const [application] = await e2e.db('applications').select('id');
    const [doc] = await e2e.db('documents').where({ application_id: application.id }).select('id');
    const received = await waitDeep(rgz.page, 'overa-approval-inbox >>> [part~="reception"] .received', 'the document arriving in the open reception view');
    assert.match(await textOf(received), new RegExp(tracking));
    assert.match(await textOf(received), /Awaiting acknowledgement/);
    const acknowledge = (await rgz.page.$$('overa-approval-inbox >>> [part~="reception"] .received .actions button.primary'))[0]!;
    await acknowledge.click();
    await waitDeep(rgz.page, 'overa-approval-inbox >>> [part~="reception"] overa-sign >>> [part~="fingerprint"]', 'the receipt to sign');
    await rgz.page.click('overa-approval-inbox >>> [part~="reception"] overa-sign >>> [part~="sign-button"]');
    await rgz.page.waitForFunction(
      () => /Acknowledged/.test(document.querySelector('overa-approval-inbox')?.shadowRoot?.querySelector('[part~="reception"]')?.textContent ?? ''),
      { timeout: 15_000, polling: 50 },
    );
    const recipients = await e2e.db('document_recipients').where({ document_id: doc.id }).select('agency_id', 'status');
    assert.deepEqual(recipients, [{ agency_id: DEMO_RECEIVING_AGENCY.id, status: 'accepted' }]);
    const history = (await e2e.db('audit_log').where({ subject_type: 'document', subject_id: doc.id }).select('action')).map((r) => r.action);
    assert.ok(history.includes('document.sent') && history.includes('document.received'), `the document's history: ${history.join(', ')}`);

    assert.deepEqual(errors, []);
    for (const o of [clerk, urbanism, cadastre, head, rgz]) await o.context.close();
    await citizenContext.close();
  });
});
