// Baseline: the smallest Koa 3 app, on 127.0.0.1, in its own process. Started by bench/.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { reportReady } from '../lib/child-server.ts';

const app = new Koa();
app.use((ctx) => {
  ctx.body = 'Hello World';
});
const server = createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  reportReady({}, (server.address() as AddressInfo).port, () => {
    server.closeAllConnections();
    server.close();
  });
});
