#!/usr/bin/env node
// The `overa` CLI. The server is written in TypeScript; tsx strips the types at load time.
import { register } from 'tsx/esm/api';

register();
await import('../server/main.ts');
