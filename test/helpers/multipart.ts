/** Hand-made multipart/form-data bodies, for the cases FormData cannot make (odd parts, streaming). */
import { randomBytes } from 'node:crypto';

export interface Part {
  name: string;
  /** Present = a file part. */
  filename?: string;
  type?: string;
  data: Buffer | string;
}

export function boundary(): string {
  return `----overa-test-${randomBytes(8).toString('hex')}`;
}

export function partHead(b: string, part: Omit<Part, 'data'>): Buffer {
  const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
  const type = part.type ?? (part.filename !== undefined ? 'application/octet-stream' : undefined);
  return Buffer.from(`--${b}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`, 'utf8');
}

export function closing(b: string): Buffer {
  return Buffer.from(`\r\n--${b}--\r\n`);
}

/** A whole multipart body and its Content-Type. */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const b = boundary();
  const chunks: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) chunks.push(Buffer.from('\r\n'));
    chunks.push(partHead(b, part), Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
  });
  chunks.push(closing(b));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${b}` };
}

/**
 * A multipart body with one file part of `size` bytes that starts with `head`, streamed in
 * 64 KiB chunks with no Content-Length (chunked): the server cannot know the size in advance.
 */
export function streamedFile(head: Buffer, size: number, filename = 'big.pdf'): { body: ReadableStream<Uint8Array>; contentType: string } {
  const b = boundary();
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  let stage: 'head' | 'data' | 'done' = 'head';
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 'head') {
        controller.enqueue(Buffer.concat([partHead(b, { name: 'file', filename, type: 'application/pdf' }), head]));
        sent = head.length;
        stage = 'data';
      } else if (stage === 'data') {
        const n = Math.min(chunk.length, size - sent);
        if (n > 0) {
          controller.enqueue(chunk.subarray(0, n));
          sent += n;
        } else {
          controller.enqueue(closing(b));
          controller.close();
          stage = 'done';
        }
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${b}` };
}
