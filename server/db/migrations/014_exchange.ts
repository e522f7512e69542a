import type { Knex } from 'knex';

/**
 * Agency-to-agency exchange across Overa servers (issue 19, docs/exchange.md).
 *
 * - `partners`: the directory of agencies hosted on other servers (`overa partners add`): where
 *   to send to, and the certificate their seal must be (or chain to) for a message to be believed.
 * - `exchange_messages`: every signed message sent (`out`) or received (`in`), with the exact
 *   envelope and signature, and the receipt that proves delivery (`out`: the partner's receipt;
 *   `in`: the receipt this server answered with, sent again unchanged to a replay). The outbox row
 *   that delivers an `out` message has the message's id.
 * - `exchange_parts`: the parts of each message (the sealed PDF, attachments) as sent/received.
 * - `received_documents`: a partner's document in a local agency's reception (the cross-server
 *   twin of `document_recipients`), acknowledged with a passkey signature.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('partners', (t) => {
    // The partner agency's id, as its own server names it; never one of this server's agencies.
    t.string('agency_id', 64).primary();
    t.string('name', 200).notNullable();
    // The partner server's base URL (https://…); messages go to <url>/api/v1/exchange/messages.
    t.string('url', 2048).notNullable();
    // The pinned certificate (PEM, one certificate): the partner's seal certificate, or a CA its seal chains to.
    t.text('certificate_pem').notNullable();
    t.string('certificate_sha256', 64).notNullable();
    t.boolean('certificate_is_ca').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await db.schema.createTable('exchange_messages', (t) => {
    // The message id (a UUID made by the sender); for `out` also the outbox message's id.
    t.string('id', 36).notNullable();
    // out | in
    t.string('direction', 3).notNullable();
    // document | acceptance | rejection | revocation
    t.string('type', 16).notNullable();
    // The document as the issuing server names it.
    t.string('document_id', 36).notNullable();
    // This server's agency (sender of `out`, receiver of `in`) and the partner agency.
    t.string('local_agency_id', 64).notNullable();
    t.string('partner_agency_id', 64).notNullable();
    // The envelope exactly as signed (canonical JSON) and the detached CMS over it (base64 DER).
    t.text('envelope').notNullable();
    t.text('signature').notNullable();
    // The receipt (canonical JSON) and its detached CMS (base64 DER): the partner's for `out`, ours for `in`.
    t.text('receipt');
    t.text('receipt_signature');
    t.bigInteger('receipt_at');
    // On an `out` document message: what the partner answered (accepted | rejected), when, why.
    t.string('outcome', 16);
    t.bigInteger('outcome_at');
    t.text('outcome_reason');
    t.bigInteger('created_at').notNullable();
    t.primary(['id', 'direction']);
    t.index(['document_id', 'partner_agency_id'], 'exchange_messages_document');
  });
  await db.schema.createTable('exchange_parts', (t) => {
    t.string('message_id', 36).notNullable();
    t.string('direction', 3).notNullable();
    t.integer('idx').notNullable();
    t.string('name', 200).notNullable();
    t.string('content_type', 100).notNullable();
    t.string('sha256', 64).notNullable();
    t.bigInteger('size').notNullable();
    t.binary('data').notNullable();
    t.primary(['message_id', 'direction', 'idx']);
  });
  await db.schema.createTable('received_documents', (t) => {
    // The reception's id here (`reception/:id`, the signing subject's id).
    t.string('id', 36).primary();
    // The `document` message that brought it.
    t.string('message_id', 36).notNullable().unique();
    t.string('agency_id', 64).notNullable().references('id').inTable('agencies');
    t.string('partner_agency_id', 64).notNullable();
    // The sending server's base URL as the directory had it when the document arrived.
    t.string('partner_url', 2048).notNullable();
    t.string('document_id', 36).notNullable();
    t.text('title').notNullable();
    t.string('document_type', 64).notNullable();
    t.string('tracking_number', 64).notNullable();
    t.bigInteger('issued_at').notNullable();
    // The main part (the sealed PDF): its SHA-256 and size (the bytes are in exchange_parts).
    t.string('sha256', 64).notNullable();
    t.bigInteger('size').notNullable();
    // The certificate that signed the envelope (subject, hex SHA-256 of its DER).
    t.string('seal_subject', 500).notNullable();
    t.string('seal_sha256', 64).notNullable();
    t.bigInteger('received_at').notNullable();
    // pending | accepted | rejected
    t.string('status', 16).notNullable().defaultTo('pending');
    t.bigInteger('decided_at');
    t.string('decided_by', 36).references('id').inTable('users');
    t.string('signature_id', 36).references('id').inTable('signatures');
    t.text('rejection_reason');
    t.bigInteger('revoked_at');
    t.text('revocation_reason');
    t.unique(['partner_agency_id', 'document_id', 'agency_id'], { indexName: 'received_documents_once' });
    t.index(['agency_id', 'received_at', 'id'], 'received_documents_agency');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('received_documents');
  await db.schema.dropTableIfExists('exchange_parts');
  await db.schema.dropTableIfExists('exchange_messages');
  await db.schema.dropTableIfExists('partners');
}
