/**
 * The alternating-rounds schedule the comparing benchmarks share (bench/lib/rounds.ts): a side
 * that leaves work behind (an outbox still sending) is drained before any other side runs, so
 * the baseline is not measured while the other side's worker competes for the cores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternatingRounds, unsent, waitForDrain } from '../../bench/lib/rounds.ts';

test('a side with a drain is drained after its warm-up and after each of its rounds, before the next side runs', async () => {
  const events: string[] = [];
  const { seen, drained } = await alternatingRounds({
    sides: ['off', 'on'] as const,
    rounds: 3,
    warmUp: async (side) => { events.push(`warm ${side}`); },
    round: async (side) => { events.push(`round ${side}`); return side.length; },
    drain: { on: async () => { events.push('drain on'); return 7; } },
  });
  assert.deepEqual(events, [
    'warm off', 'warm on', 'drain on',
    'round off', 'round on', 'drain on',
    'round on', 'drain on', 'round off',
    'round off', 'round on', 'drain on',
  ]);
  assert.deepEqual(seen, { off: [3, 3, 3], on: [2, 2, 2] });
  assert.deepEqual(drained, { off: [], on: [7, 7, 7] });
});

test('waitForDrain polls until nothing is unsent, and fails a stuck outbox instead of waiting forever', async () => {
  const left = [3, 1, 0];
  let polls = 0;
  const ms = await waitForDrain(async () => left[polls++]!, 'test outbox', { pollMs: 1 });
  assert.equal(polls, 3);
  assert.ok(ms >= 0);
  await assert.rejects(waitForDrain(async () => 2, 'stuck outbox', { pollMs: 1, timeoutMs: 20 }), /stuck outbox did not drain in 20 ms: 2 messages left/);
  assert.equal(unsent({ queued: 1, delivering: 2, delivered: 5, failed: 1 }, { queued: 0, delivering: 1, delivered: 9, failed: 0 }), 4);
});
