/**
 * Issues a real document from a component test (browser side): a citizen applies for a
 * certificate of residence with a passkey, a clerk reviews, the head approves, and the server
 * seals the PDF — through the same client the elements use, with the virtual authenticator.
 */
import {
  OveraClient, completeSignature, createApplication, decideCase, fetchDocumentPdf, getCase, prepareSignature, submitApplication,
} from '../../components/client/index.ts';
import { decisionSubjectId } from '../../components/core/signing/decision.ts';
import type { DocumentView } from '../../components/core/documents.ts';
import { overaInvite } from './overa-server.ts';

export interface IssuedInBrowser {
  pdf: Uint8Array;
  view: DocumentView;
  head: OveraClient;
}

/** Each person in a client of their own (memory only): the tests' own sessions stay apart. */
async function person(url: string, name: string, roles?: string[]): Promise<OveraClient> {
  const client = new OveraClient(url, { persist: 'memory' });
  await client.register(name, roles ? await overaInvite({ roles }) : undefined, { persist: 'memory' });
  return client;
}

async function decide(client: OveraClient, id: string, step: string, decision: 'review' | 'approve'): Promise<void> {
  const options = await prepareSignature(client, { type: 'decision', id: decisionSubjectId(id, step) }, decision, { context: { comment: '' } });
  const signature = await completeSignature(client, options);
  const current = await getCase(client, id);
  await decideCase(client, id, current.version, { step, decision, signatureId: signature.id });
}

/** `data`: answers to the demo certificate-of-residence form (a signed application). */
export async function issueResidenceCertificate(url: string, data: Record<string, string>): Promise<IssuedInBrowser> {
  const citizen = await person(url, `${data.firstName} ${data.lastName}`);
  const draft = await createApplication(citizen, { formId: 'certificate-of-residence', formVersion: 1, data });
  const options = await prepareSignature(citizen, { type: 'application', id: draft.id }, 'submit');
  const signature = await completeSignature(citizen, options);
  await submitApplication(citizen, draft.id, draft.version, { signatureId: signature.id });
  await decide(await person(url, 'Petar Referent', ['clerk']), draft.id, 'review', 'review');
  const head = await person(url, 'Milan Načelnik', ['head']);
  await decide(head, draft.id, 'approve', 'approve');
  const c = await getCase(head, draft.id);
  if (c.status !== 'issued') throw new Error(`not issued: ${c.status}`);
  const documentId = (c as unknown as { documentId: string }).documentId;
  const view = await head.request<DocumentView>('GET', `documents/${documentId}`);
  const pdf = new Uint8Array(await (await fetchDocumentPdf(head, documentId)).arrayBuffer());
  return { pdf, view, head };
}

/**
 * A certificate of residence through review and approval by API, each person in turn in the one
 * `client` (the session the element under test reads): issued, the approver left signed in.
 * Returns its application id.
 */
export async function issueInOneSession(client: OveraClient): Promise<string> {
  await client.register('Milica Petrović');
  const draft = await createApplication(client, {
    formId: 'certificate-of-residence', formVersion: 1,
    data: { firstName: 'Milica', lastName: 'Petrović', jmbg: '0101990710008', street: 'Bulevar oslobođenja 10', place: 'Novi Sad', postalCode: '21000', purpose: 'employment', delivery: 'online' },
  });
  const sent = await submitApplication(client, draft.id, draft.version);
  await client.signOut();
  for (const [step, role] of [['review', 'clerk'], ['approve', 'head']] as const) {
    await client.register(`Službenik ${step}`, await overaInvite({ roles: [role] }));
    const version = (await getCase(client, sent.id)).version;
    const options = await prepareSignature(client, { type: 'decision', id: decisionSubjectId(sent.id, step) }, step, { context: { comment: '' } });
    const signature = await completeSignature(client, options);
    await decideCase(client, sent.id, version, { step, decision: step, signatureId: signature.id });
    if (step === 'review') await client.signOut();
  }
  return sent.id;
}
