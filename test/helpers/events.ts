/** An open `GET /api/v1/inbox/events` stream (server-sent events), read as it arrives. */

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface EventStream {
  status: number;
  headers: Headers;
  /** Every event so far (comments and `retry:` lines left out). */
  events: SseEvent[];
  /** The first event, so far or to come, that matches; rejects after `ms`. */
  next(match: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  /** Resolves when the server ends the stream; rejects after `ms` if it is still open. */
  ended(ms?: number): Promise<void>;
  close(): void;
}

export async function openEvents(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  let serverEnded = false;
  const endWaiters: (() => void)[] = [];
  if (res.status === 200) {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            serverEnded = true;
            for (const w of endWaiters.splice(0)) w();
            return;
          }
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!name || data === undefined) continue;
            const e = { event: name, data: JSON.parse(data) as Record<string, unknown> };
            events.push(e);
            for (const w of waiters.filter((x) => x.match(e))) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
          }
        }
      } catch {
        // aborted
      }
    })();
  } else {
    await res.body?.cancel();
  }
  return {
    status: res.status,
    headers: res.headers,
    events,
    next(match, ms = 5000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`)), ms);
        waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e); } });
      });
    },
    ended(ms = 5000) {
      if (serverEnded || res.status !== 200) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the stream is still open after ${ms} ms; got ${JSON.stringify(events)}`)), ms);
        endWaiters.push(() => { clearTimeout(timer); resolve(); });
      });
    },
    close() {
      abort.abort();
    },
  };
}
