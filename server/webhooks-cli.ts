/** `overa webhooks …`: the operator's side of services/webhooks.ts (main.ts routes here). */
import pino from 'pino';
import { DEFAULT_OUTBOX, type Config } from './config.ts';
import type { Db } from './db/connection.ts';
import { outbox } from './db/outbox.ts';
import { HttpError } from './http-error.ts';
import { createOutboxWorker } from './services/outbox.ts';
import {
  addWebhook, listWebhooks, removeWebhook, retryWebhookDelivery, rotateWebhookSecret, testWebhook, webhookDeliveries, webhookHandler,
} from './services/webhooks.ts';

interface Options {
  url?: string;
  event?: string[];
  agency?: string;
  description?: string;
  json?: boolean;
}

export async function webhooksCommand(config: Config, db: Db, args: string[], values: Options): Promise<number> {
  const deps = { db, config, now: Date.now, log: pino({ level: 'silent' }) };
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    const [sub, id] = args;
    switch (sub) {
      case 'add': {
        const e = await addWebhook(deps, { url: values.url, events: values.event, description: values.description, agencyId: values.agency ?? null });
        if (values.json) out(JSON.stringify(e));
        else {
          out(`${e.id}`);
          out(`secret: ${e.secret}`);
          process.stderr.write('the secret is shown this once: give it to the receiving system now\n');
        }
        return 0;
      }
      case 'list': {
        const list = await listWebhooks(deps);
        const rows = [];
        for (const e of list) {
          const log = await outbox.list(db, { channel: 'webhook', target: e.id, limit: 1_000_000 });
          const counts: Record<string, number> = { queued: 0, delivering: 0, delivered: 0, failed: 0 };
          for (const m of log) counts[m.state]! += 1;
          rows.push({ ...e, deliveries: counts });
        }
        if (values.json) out(JSON.stringify(rows));
        else for (const r of rows) out(`${r.id}  ${r.url}  [${r.events.join(', ')}]  agency: ${r.agencyId ?? 'all'}  queued ${r.deliveries.queued}, delivering ${r.deliveries.delivering}, delivered ${r.deliveries.delivered}, failed ${r.deliveries.failed}`);
        return 0;
      }
      case 'remove':
        if (!id) break;
        await removeWebhook(deps, id);
        out(`removed ${id}`);
        return 0;
      case 'rotate': {
        if (!id) break;
        const e = await rotateWebhookSecret(deps, id);
        out(`secret: ${e.secret}`);
        process.stderr.write(`the previous secret signs beside it until ${e.previousSecretUntil}\n`);
        return 0;
      }
      case 'test': {
        if (!id) break;
        const deliveryId = await testWebhook(deps, id);
        // Delivered from here, now. A running server's worker may have taken it first: then its
        // outcome is awaited (for as long as one attempt may take), and a retry shows as queued.
        const worker = createOutboxWorker(deps, { webhook: webhookHandler(deps) });
        let m = await worker.deliverNow(deliveryId);
        const deadline = Date.now() + (config.webhookTimeoutMs ?? DEFAULT_OUTBOX.webhookTimeoutMs) + 5000;
        while (m?.state === 'delivering' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          m = await outbox.get(db, deliveryId);
        }
        out(`${deliveryId} ${m?.state ?? 'unknown'}${m?.lastError ? `: ${m.lastError}` : ''}`);
        return m?.state === 'delivered' ? 0 : 1;
      }
      case 'deliveries': {
        if (!id) break;
        const log = await webhookDeliveries(deps, id);
        if (values.json) out(JSON.stringify(log));
        else for (const d of log) out(`${d.id}  ${d.eventType}  ${d.state}  attempts ${d.attempts}  ${d.createdAt}${d.lastError ? `  ${d.lastError}` : ''}`);
        return 0;
      }
      case 'retry': {
        if (!id) break;
        const d = await retryWebhookDelivery(deps, id);
        out(`${d.id} ${d.state}`);
        return 0;
      }
      default:
    }
    process.stderr.write('overa webhooks: add --url URL --event E… | list | remove ID | rotate ID | test ID | deliveries ID | retry DELIVERY-ID (overa --help)\n');
    return 2;
  } catch (err) {
    if (err instanceof HttpError) {
      const fields = err.errors?.map((f) => ` (${f.field}: ${f.message})`).join('') ?? '';
      process.stderr.write(`overa webhooks: ${err.message}${fields}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}
