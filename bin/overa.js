#!/usr/bin/env node
// The `overa` CLI. The server is written in TypeScript; tsx strips the types at load time.
import { register } from 'tsx/esm/api';

register();
if (process.argv[2] === 'verify') {
  // Offline verification loads the verifier only, not the server (main.ts would load it all).
  const { verifyCommand } = await import('../server/documents/verify-cli.ts');
  process.exitCode = await verifyCommand(process.argv.slice(3));
} else {
  await import('../server/main.ts');
}
