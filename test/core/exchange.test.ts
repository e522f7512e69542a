/** The exchange envelope reader (components/core/exchange.ts): what a receiving server accepts as an envelope. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEnvelope, type ExchangeEnvelope } from '../../components/core/exchange.ts';

const document = (): ExchangeEnvelope => ({
  protocol: 'overa-exchange/1',
  messageId: '6f1d2c8a-9b3e-4f5a-8c7d-1e2f3a4b5c6d',
  type: 'document',
  from: { agencyId: 'novi-primer', name: 'Gradska uprava Novi Primer', server: 'https://eprijem.novi-primer.rs' },
  to: { agencyId: 'drugi-grad' },
  documentId: '0b8f3c2e-5d41-4c3a-9a57-2f6f0e4d9b10',
  title: { 'sr-Latn': 'Uverenje o prebivalištu', en: 'Certificate of residence' },
  documentType: 'certificate-of-residence',
  trackingNumber: 'NP-2026-000123',
  issuedAt: '2026-12-07T10:14:58.311Z',
  time: '2026-12-07T10:14:58.311Z',
  parts: [{ name: 'document.pdf', contentType: 'application/pdf', sha256: 'a'.repeat(64), size: 48213 }],
});

const fields = (raw: unknown) => {
  const r = readEnvelope(raw);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

test('a well-formed envelope of each type is read as it is', () => {
  const d = document();
  assert.deepEqual(readEnvelope(d), { ok: true, envelope: d });
  const answer = { ...d, type: 'acceptance', parts: [], inReplyTo: d.messageId, messageId: '2a7e4b1c-3d5f-4e6a-9b8c-7d6e5f4a3b2c' };
  assert.equal(readEnvelope(answer).ok, true);
  assert.equal(readEnvelope({ ...answer, type: 'rejection', reason: 'Nije u nadležnosti' }).ok, true);
  assert.equal(readEnvelope({ ...d, type: 'revocation', parts: [], reason: 'Greška u adresi' }).ok, true);
});

test('every field at fault is named, under envelope.', () => {
  assert.deepEqual(fields(null), ['envelope']);
  assert.deepEqual(fields({ ...document(), protocol: 'overa-exchange/2' }), ['envelope.protocol']);
  assert.deepEqual(fields({ ...document(), messageId: 'not-a-uuid', type: 'letter' }), ['envelope.messageId', 'envelope.type']);
  assert.deepEqual(fields({ ...document(), from: { agencyId: 'Novi Primer', name: 'x', server: 'y' } }), ['envelope.from']);
  assert.deepEqual(fields({ ...document(), to: { agencyId: 'drugi-grad', extra: 1 } }), ['envelope.to']);
  assert.deepEqual(fields({ ...document(), issuedAt: '7. 12. 2026.' }), ['envelope.issuedAt']);
  assert.deepEqual(fields({ ...document(), extra: true }), ['envelope.extra']);
  assert.deepEqual(fields({ ...document(), title: { de: 'Bescheinigung' } }), ['envelope.title']);
});

test('parts: hashes are lower-case hex, names unique, sizes whole; a document carries one', () => {
  const part = document().parts[0]!;
  assert.deepEqual(fields({ ...document(), parts: [{ ...part, sha256: 'A'.repeat(64) }] }), ['envelope.parts[0]']);
  assert.deepEqual(fields({ ...document(), parts: [part, { ...part }] }), ['envelope.parts[1]']);
  assert.deepEqual(fields({ ...document(), parts: [{ ...part, size: 1.5 }] }), ['envelope.parts[0]']);
  assert.deepEqual(fields({ ...document(), parts: [] }), ['envelope.parts']);
  assert.deepEqual(fields({ ...document(), parts: Array.from({ length: 21 }, (_, i) => ({ ...part, name: `p${i}` })) }), ['envelope.parts']);
});

test('inReplyTo only on answers, reason only on a rejection or a revocation, and then required', () => {
  const d = document();
  assert.deepEqual(fields({ ...d, inReplyTo: d.messageId }), ['envelope.inReplyTo']);
  assert.deepEqual(fields({ ...d, reason: 'x' }), ['envelope.reason']);
  assert.deepEqual(fields({ ...d, type: 'acceptance', parts: [] }), ['envelope.inReplyTo']);
  assert.deepEqual(fields({ ...d, type: 'rejection', parts: [], inReplyTo: d.messageId }), ['envelope.reason']);
  assert.deepEqual(fields({ ...d, type: 'revocation', parts: [], reason: '' }), ['envelope.reason']);
});
