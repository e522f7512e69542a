import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDiff, type JsonChange } from '../../components/core/json-diff.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';

/** Applies the changes in order as an RFC 6902 patch (add/remove/replace), to show they are one. */
function apply(doc: JsonValue, changes: readonly JsonChange[]): JsonValue {
  let root = structuredClone(doc);
  for (const c of changes) {
    if (c.path === '') {
      root = structuredClone(c.after!);
      continue;
    }
    const keys = c.path.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent = root as Record<string, JsonValue> | JsonValue[];
    for (const k of keys) parent = (parent as Record<string, JsonValue>)[k] as Record<string, JsonValue> | JsonValue[];
    if (Array.isArray(parent)) {
      const i = Number(last);
      if (c.op === 'add') parent.splice(i, 0, structuredClone(c.after!));
      else if (c.op === 'remove') parent.splice(i, 1);
      else parent[i] = structuredClone(c.after!);
    } else if (c.op === 'remove') {
      delete parent[last];
    } else {
      parent[last] = structuredClone(c.after!);
    }
  }
  return root;
}

test('equal documents: no changes', () => {
  assert.deepEqual(jsonDiff({ a: [1, { b: 'x' }], c: null }, { c: null, a: [1, { b: 'x' }] }), []);
});

test('members added, removed and replaced, with the value before', () => {
  assert.deepEqual(jsonDiff({ a: 1, b: 'x', 'c/d': true }, { a: 2, 'c/d': true, e: [1] }), [
    { path: '/a', op: 'replace', before: 1, after: 2 },
    { path: '/b', op: 'remove', before: 'x' },
    { path: '/e', op: 'add', after: [1] },
  ]);
  assert.deepEqual(jsonDiff({ 'x~y/z': 1 }, { 'x~y/z': 2 }), [{ path: '/x~0y~1z', op: 'replace', before: 1, after: 2 }]);
  assert.deepEqual(jsonDiff(1, 'one'), [{ path: '', op: 'replace', before: 1, after: 'one' }]);
});

test('a field inserted at the top of a form is one add, not every later field replaced', () => {
  const fields = [{ name: 'a', type: 'text' }, { name: 'b', type: 'date' }, { name: 'c', type: 'email' }];
  const before = { fields };
  const after = { fields: [{ name: 'new', type: 'text', required: true }, ...fields] };
  assert.deepEqual(jsonDiff(before, after), [{ path: '/fields/0', op: 'add', after: { name: 'new', type: 'text', required: true } }]);
  assert.deepEqual(jsonDiff(after, before), [{ path: '/fields/0', op: 'remove', before: { name: 'new', type: 'text', required: true } }]);
});

test('a changed item in place is changed member by member', () => {
  const before: JsonValue = { fields: [{ name: 'a', required: false }, { name: 'b' }] };
  const after: JsonValue = { fields: [{ name: 'a', required: true }, { name: 'b' }] };
  assert.deepEqual(jsonDiff(before, after), [{ path: '/fields/0/required', op: 'replace', before: false, after: true }]);
});

test('applied in order, the changes turn the one document into the other', () => {
  const cases: [JsonValue, JsonValue][] = [
    [[1, 2, 3, 4, 5], [0, 2, 9, 4, 6, 7]],
    [[1, 2, 3], []],
    [[], ['a', 'b']],
    [{ a: [1, { b: [2, 3] }], c: 'x' }, { a: [{ b: [3, 2, 1] }, 1, 4], d: { e: null } }],
    [[{ n: 1 }, { n: 2 }, { n: 3 }], [{ n: 3 }, { n: 1 }, { n: 2, m: 0 }]],
  ];
  for (const [a, b] of cases) assert.deepEqual(apply(a, jsonDiff(a, b)), b, JSON.stringify([a, b]));
  // Random arrays of small numbers: many repeats, many alignments.
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let k = 0; k < 300; k++) {
    const a = Array.from({ length: rnd(8) }, () => rnd(4));
    const b = Array.from({ length: rnd(8) }, () => rnd(4));
    assert.deepEqual(apply(a, jsonDiff(a, b)), b, JSON.stringify([a, b]));
  }
});
