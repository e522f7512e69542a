import { PassThrough } from 'node:stream';
import type { ParameterizedContext } from 'koa';

/**
 * A server-sent events stream (`text/event-stream`) as the answer to a request: events, comment
 * lines and a periodic tick, with one end however it comes (the client goes away, the stream
 * closes, or the route ends it): after it, writes are dropped and every cleanup has run once.
 */
export class EventStream {
  private readonly body = new PassThrough();
  private readonly cleanups: (() => void)[] = [];
  private ended = false;

  constructor() {
    this.body.on('close', () => this.end());
  }

  /** `event: <name>` with `data` as one line of JSON. */
  event(name: string, data: unknown): void {
    this.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line (`: <text>`): clients ignore it; it keeps proxies from closing an idle stream. */
  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  /** Runs `tick` every `ms` until the stream ends; the timer does not keep the process alive. */
  every(ms: number, tick: () => void): void {
    const timer = setInterval(tick, ms);
    timer.unref();
    this.onEnd(() => clearInterval(timer));
  }

  /** Runs `cleanup` when the stream ends, or at once if it has. */
  onEnd(cleanup: () => void): void {
    if (this.ended) cleanup();
    else this.cleanups.push(cleanup);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.body.end();
  }

  /**
   * Answers the request with the stream: `200 text/event-stream`, neither cached nor buffered
   * by a proxy, on a socket with no idle timeout; then `retry:` tells EventSource how soon to
   * reconnect after the connection drops. What was written before is sent first.
   */
  respond(ctx: ParameterizedContext, options: { retryMs: number }): void {
    // The response's close: the client went away (the request's own close comes earlier, once it is read).
    ctx.res.on('close', () => this.end());
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    // Not compressed (server/middleware/compression.ts): a compressor would hold events back until its buffer fills.
    ctx.compress = false;
    ctx.body = this.body;
    this.write(`retry: ${options.retryMs}\n\n`);
  }

  private write(chunk: string): void {
    if (!this.ended) this.body.write(chunk);
  }
}
