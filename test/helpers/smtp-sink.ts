/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps every message it is
 * given, parsed (mailparser): the mail tests of the server, the elements and the end-to-end
 * suite read what Overa sent from here.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/** A mail as the sink received it. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The List-Unsubscribe header lines, joined by line breaks. */
  listUnsubscribe: string;
}

export interface SmtpSink {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: a free one) and pushes every message it receives onto `into`. */
export async function startSmtpSink(into: ReceivedMail[], port = 0): Promise<SmtpSink> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // The server's transport keeps its connections open (a pool): closing drops them soon.
    closeTimeout: 100,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => {
        const to = Array.isArray(m.to) ? m.to[0]! : m.to!;
        into.push({
          to: to.value[0]!.address!, subject: m.subject ?? '', text: m.text ?? '', html: typeof m.html === 'string' ? m.html : '',
          messageId: m.messageId ?? '', listUnsubscribe: m.headerLines.filter((h) => h.key.startsWith('list-unsubscribe')).map((h) => h.line).join('\n'),
        });
        callback();
      }, (err: Error) => callback(err));
    },
  });
  smtp.listen(port, '127.0.0.1');
  await once(smtp.server, 'listening');
  return {
    port: (smtp.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
