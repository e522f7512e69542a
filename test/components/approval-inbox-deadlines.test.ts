/**
 * <overa-approval-inbox> and legal deadlines (issue 20, item 2), in Chromium against the real
 * server: each row shows the due date and how it stands in the reader's language and script; the
 * "time limit" filter and the order reach the server as `due` and `sort`, from the keyboard.
 * The standings the real clock cannot reach today (overdue, stopped while returned) are shown by
 * changing the server's answer on its way in; the server side of them is
 * test/server/deadlines.test.ts.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/approval-inbox/define.ts';
import type { OveraApprovalInbox } from '../../components/approval-inbox/approval-inbox.ts';
import { clientFor, createApplication, submitApplication, type OveraClient } from '../../components/client/index.ts';
import type { CaseDeadline, InboxItem, Page } from '../../components/core/api.ts';
import { formatDate } from '../../components/i18n/index.ts';
import { overaInvite } from '../helpers/overa-server.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';
import { withFetch } from '../helpers/fetch.ts';

type Inbox = OveraApprovalInbox;
const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

const RESIDENCE = {
  firstName: 'Rada', lastName: 'Rokić', jmbg: '0101990710008', street: 'Bulevar oslobođenja 10', place: 'Novi Sad',
  postalCode: '21000', purpose: 'employment', delivery: 'online',
};

async function citizenSubmits(client: OveraClient, name: string): Promise<string> {
  await client.register(name);
  const draft = await createApplication(client, { formId: 'certificate-of-residence', formVersion: 1, data: RESIDENCE });
  const sent = await submitApplication(client, draft.id, draft.version);
  await client.signOut();
  return sent.id;
}

async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

/** The inbox answers with `deadline` of case `id` replaced (the rest as the server said). */
function changedDeadline(id: string, deadline: CaseDeadline) {
  return (url: string, init: RequestInit | undefined, original: typeof fetch): Promise<Response> | null => {
    if (!/\/api\/v1\/inbox(\?|$)/.test(url)) return null;
    return original(url, init).then(async (res) => {
      const page = (await res.json()) as Page<InboxItem>;
      const items = page.items.map((i) => (i.id === id ? { ...i, deadline } : i));
      return new Response(JSON.stringify({ ...page, items }), { status: res.status, headers: { 'Content-Type': 'application/json' } });
    });
  };
}

const running = (daysLeft: number, status: CaseDeadline['status']): CaseDeadline => ({
  state: 'running', dueDate: '2027-01-05', dueAt: '2027-01-05T22:59:59.999Z', daysLeft, status, remainingDays: null,
});

describe('<overa-approval-inbox> and legal deadlines', () => {
  let url: string;

  overaSessionPerTest({ url: (u) => (url = u) });

  it('shows the due date and the days left in the row, in Serbian Latin', async () => {
    const client = clientFor(url);
    const id = await citizenSubmits(client, 'Rada Rokić');
    await client.register('Dragan Referent', await overaInvite({ roles: ['clerk'] }));
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="sr-Latn" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list', 'list shown', { timeout: 5000 });
    await el.updateComplete;
    const item = el.cases.find((c) => c.id === id)!;
    // The form's 30 calendar days, counted by the server from today.
    expect(item.deadline?.state).to.equal('running');
    expect(item.deadline?.status).to.equal('on-time');
    const due = $(el, `[data-id="${id}"] [part~="due"]`)!;
    expect(text(due)).to.equal(`Rok: ${formatDate('sr-Latn', item.deadline!.dueDate!)} · ističe za ${item.deadline!.daysLeft} dana`);
    await expect(el).to.be.accessible();
    // The open case says it under its heading.
    $<HTMLButtonElement>(el, `[data-id="${id}"]`)!.click();
    await waitUntil(() => el.openCase?.id === id, 'case opened');
    await el.updateComplete;
    expect(text($(el, '.detail-due [part~="due"]'))).to.equal(text(due));
    await expect(el).to.be.accessible();
  });

  it('says overdue, due today and stopped in each language and script', async () => {
    const client = clientFor(url);
    const id = await citizenSubmits(client, 'Sava Savić');
    await client.register('Nada Referent', await overaInvite({ roles: ['clerk'] }));
    const cases: [CaseDeadline, 'en' | 'sr-Latn' | 'sr-Cyrl', string][] = [
      [running(-2, 'overdue'), 'en', 'Due 5 January 2027 · overdue by 2 days'],
      [running(-1, 'overdue'), 'sr-Latn', 'Rok: 5. januar 2027. · prekoračen 1 dan'],
      [running(-3, 'overdue'), 'sr-Cyrl', 'Рок: 5. јануар 2027. · прекорачен 3 дана'],
      [running(0, 'due-soon'), 'sr-Cyrl', 'Рок: 5. јануар 2027. · истиче данас'],
      [running(1, 'due-soon'), 'en', 'Due 5 January 2027 · due in 1 day'],
      [{ state: 'paused', dueDate: null, dueAt: null, daysLeft: null, status: null, remainingDays: 4 }, 'sr-Latn', 'rok stoji dok je zahtev kod podnosioca (preostala 4 dana)'],
    ];
    for (const [deadline, lang, expected] of cases) {
      await withFetch(changedDeadline(id, deadline), async () => {
        const el = await fixture<Inbox>(html`<overa-approval-inbox lang=${lang} server=${url}></overa-approval-inbox>`);
        await waitUntil(() => el.state === 'list', 'list shown', { timeout: 5000 });
        await el.updateComplete;
        const due = $(el, `[data-id="${id}"] [part~="due"]`)!;
        expect(text(due), `${lang} ${deadline.state} ${deadline.daysLeft}`).to.equal(expected);
        if (deadline.status === 'overdue') {
          expect(getComputedStyle($(el, `[data-id="${id}"] .due-standing`)!).fontWeight).to.equal('700');
          await expect(el).to.be.accessible();
        }
      });
    }
  });

  it('filters by the time limit and orders by it, from the keyboard', async () => {
    const client = clientFor(url);
    await citizenSubmits(client, 'Luka Lukić');
    await client.register('Mara Referent', await overaInvite({ roles: ['clerk'] }));
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list', 'list shown', { timeout: 5000 });
    await el.updateComplete;
    const dueSelect = $<HTMLSelectElement>(el, '#inbox-due')!;
    const sortSelect = $<HTMLSelectElement>(el, '#inbox-sort')!;
    expect(text($(el, 'label[for="inbox-due"]'))).to.equal('Time limit');
    expect([...dueSelect.options].map((o) => o.textContent)).to.deep.equal(['Any', 'Ends soon', 'Passed']);
    expect([...sortSelect.options].map((o) => o.textContent)).to.deep.equal(['Newest first', 'Time limit ending first']);

    // Shift+Tab from "Show" reaches both selects (a date field before them has stops of its own for
    // day, month and year); typing picks an option; Enter in the search field applies the filters.
    $<HTMLButtonElement>(el, '.filter--actions button')!.focus();
    await shiftTab();
    expect(el.shadowRoot!.activeElement).to.equal(sortSelect);
    await sendKeys({ type: 'T' });
    expect(sortSelect.value).to.equal('due');
    await shiftTab();
    expect(el.shadowRoot!.activeElement).to.equal(dueSelect);
    await sendKeys({ type: 'P' });
    expect(dueSelect.value).to.equal('overdue');

    const asked: string[] = [];
    await withFetch((u) => {
      if (/\/api\/v1\/inbox\?/.test(u)) asked.push(u);
      return null;
    }, async () => {
      $<HTMLInputElement>(el, '#inbox-q')!.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => asked.length > 0 && el.state !== 'loading', 'filtered');
    });
    const query = new URL(asked[0]!).searchParams;
    expect(query.get('due')).to.equal('overdue');
    expect(query.get('sort')).to.equal('due');
    // Nothing submitted today is past its time limit.
    await waitUntil(() => el.state === 'empty', 'no overdue requests');
    expect(text($(el, '.empty'))).to.contain('No requests match');
    await expect(el).to.be.accessible();
  });
});
