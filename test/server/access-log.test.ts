// The access log: one line per request, with the status the client got, also when a
// middleware or route threw and the error handler answered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const lines: { msg: string; status?: number; path?: string; method?: string; requestId?: string }[] = [];
let server: TestServer;
before(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  server = await startTestServer({}, { log: pino({ level: 'info' }, sink) });
});
after(() => server.close());

test('each request is logged with the status it was answered with', async () => {
  const cases: [method: string, path: string, headers: Record<string, string>][] = [
    ['GET', '/api/v1/forms', {}],
    ['GET', '/api/v1/me', { Authorization: `Bearer ${'x'.repeat(43)}` }],
    ['GET', '/api/v1/no-such-thing', {}],
    ['PATCH', '/api/v1/forms', {}],
    ['POST', '/api/v1/auth/register/options', { 'Content-Type': 'application/json' }],
  ];
  for (const [method, path, headers] of cases) {
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(method === 'POST' ? { body: '{' } : {}) });
    await res.arrayBuffer();
    const id = res.headers.get('x-request-id');
    const line = lines.find((l) => l.msg === 'request' && l.requestId === id);
    assert.ok(line, `${method} ${path} is logged`);
    assert.deepEqual({ method: line.method, path: line.path, status: line.status }, { method, path, status: res.status });
  }
  assert.deepEqual(
    lines.filter((l) => l.msg === 'request').map((l) => l.status),
    [200, 401, 404, 405, 400],
  );
});
