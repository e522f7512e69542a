import { readRows, type Conn } from './connection.ts';
import type { ExchangeDirection } from './exchange-messages.ts';

/** One part of an exchange message (the sealed PDF, an attachment), as sent or received. */
export interface ExchangePart {
  name: string;
  contentType: string;
  sha256: string;
  size: number;
  data: Buffer;
}

interface Row {
  name: string;
  content_type: string;
  sha256: string;
  size: number | string;
  data: Buffer;
}

export const exchangeParts = {
  async insertMany(db: Conn, messageId: string, direction: ExchangeDirection, parts: readonly ExchangePart[]): Promise<void> {
    if (parts.length === 0) return;
    await db('exchange_parts').insert(parts.map((p, idx) => ({
      message_id: messageId, direction, idx, name: p.name, content_type: p.contentType, sha256: p.sha256, size: p.size, data: p.data,
    })));
  },

  async forMessage(db: Conn, messageId: string, direction: ExchangeDirection): Promise<ExchangePart[]> {
    const rows = await readRows<Row>(db, 'select * from `exchange_parts` where `message_id` = ? and `direction` = ? order by `idx` asc', [messageId, direction], () => db('exchange_parts').where({ message_id: messageId, direction }).orderBy('idx').select<Row[]>('*'));
    return rows.map((r) => ({ name: r.name, contentType: r.content_type, sha256: r.sha256, size: Number(r.size), data: Buffer.from(r.data) }));
  },

  /** One part's bytes by its hash (the PDF of a received document). */
  async data(db: Conn, messageId: string, direction: ExchangeDirection, sha256: string): Promise<Buffer | undefined> {
    const row = await db('exchange_parts').where({ message_id: messageId, direction, sha256 }).first<{ data: Buffer } | undefined>('data');
    return row ? Buffer.from(row.data) : undefined;
  },
};
