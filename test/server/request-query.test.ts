// RequestQuery (server/request-query.ts), the one reader of query parameters, and the one keyset
// cursor format (server/cursor.ts): what each accepts, and the 400 problem each refusal becomes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RequestQuery, type ParsedQuery } from '../../server/request-query.ts';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from '../../server/cursor.ts';
import { HttpError } from '../../server/http-error.ts';
import type { FieldError } from '../../components/core/problem.ts';

/** A query string parsed as Koa parses `ctx.query`: one value, or an array when repeated. */
function parsed(search: string): ParsedQuery {
  const params = new URLSearchParams(search);
  const out: ParsedQuery = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

/** Runs `read` on a RequestQuery of `search`, then done(): the value read, or the field errors of the 400. */
function read<T>(search: string, readWith: (q: RequestQuery) => T): { value: T; errors?: undefined } | { value?: undefined; errors: FieldError[] } {
  const query = new RequestQuery(parsed(search));
  const value = readWith(query);
  try {
    query.done();
    return { value };
  } catch (err) {
    assert.ok(err instanceof HttpError);
    assert.equal(err.status, 400);
    assert.equal(err.type, 'https://overa.dev/problems/validation');
    assert.ok(err.errors && err.errors.length > 0);
    assert.equal(err.message, err.errors.map((e) => e.message).join('; '), 'the detail lists every message');
    return { errors: err.errors };
  }
}

/** The one error on `field` that reading `search` gives. */
function refusal(search: string, readWith: (q: RequestQuery) => unknown, field: string): FieldError {
  const { errors } = read(search, readWith);
  assert.ok(errors, `${search} was accepted`);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0]!.field, field);
  return errors[0]!;
}

describe('RequestQuery', () => {
  const limit = (q: RequestQuery) => q.integer('limit', { min: 1, max: 100, default: 20 });

  test('a limit: plain digits from 1 to 100, 20 when absent', () => {
    assert.equal(read('', limit).value, 20);
    assert.equal(read('limit=1', limit).value, 1);
    assert.equal(read('limit=100', limit).value, 100);
    assert.equal(read('limit=007', limit).value, 7);
    assert.equal(read('other=5', limit).value, 20, 'other parameters are not this one');
    for (const bad of ['0', '101', '-1', '+5', '1e1', '0x10', '20.0', '1.5', '%2020', '20%20', 'NaN', 'Infinity', '', 'ten', '9'.repeat(400)]) {
      assert.deepEqual(refusal(`limit=${bad}`, limit, 'limit'), { field: 'limit', code: 'range', message: 'limit must be a whole number from 1 to 100' }, bad);
    }
    assert.equal(read('', (q) => q.integer('version', { min: 1, max: 9 })).value, undefined, 'no default: undefined when absent');
  });

  test('a parameter given twice is refused by every method but list()', () => {
    const given = { field: 'x', code: 'type', message: 'x must be given once' };
    assert.deepEqual(refusal('x=1&x=1', (q) => q.integer('x', { min: 1, max: 9, default: 1 }), 'x'), given);
    assert.deepEqual(refusal('x=a&x=b', (q) => q.string('x', { max: 9 }), 'x'), given);
    assert.deepEqual(refusal('x=a&x=a', (q) => q.enum('x', ['a', 'b']), 'x'), given);
    assert.deepEqual(refusal('x=2026-01-01&x=2026-01-02', (q) => q.date('x'), 'x'), given);
    assert.deepEqual(refusal('cursor=WzFd&cursor=WzFd', (q) => q.cursor(), 'cursor'), { ...given, field: 'cursor', message: 'cursor must be given once' });
  });

  test('a string: 1..max characters (code points), as sent; empty is refused, not read as absent', () => {
    const q = (query: RequestQuery) => query.string('q', { max: 5 });
    assert.equal(read('', q).value, undefined);
    assert.equal(read('q=%C4%90or%C4%91e', q).value, 'Đorđe');
    assert.equal(read('q=%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80', q).value, '😀'.repeat(5), 'five emoji are five characters');
    assert.equal(read('q=+a+', q).value, ' a ', 'not trimmed');
    assert.deepEqual(refusal('q=', q, 'q'), { field: 'q', code: 'invalid', message: 'q must not be empty' });
    assert.deepEqual(refusal('q=abcdef', q, 'q'), { field: 'q', code: 'tooLong', message: 'q must be at most 5 characters' });
  });

  test('a string with its own form: a pattern or a check, with its code and message', () => {
    const slug = (query: RequestQuery) => query.string('agency', { max: 10, valid: /^[a-z]+(?:-[a-z]+)*$/, message: 'agency must be an id' });
    assert.equal(read('agency=novi-grad', slug).value, 'novi-grad');
    for (const bad of ['', 'Novi', 'a--b', 'abcdefghijk']) {
      assert.deepEqual(refusal(`agency=${bad}`, slug, 'agency'), { field: 'agency', code: 'invalid', message: 'agency must be an id' }, bad);
    }
    const even = (query: RequestQuery) => query.string('n', { max: 3, valid: (v) => Number(v) % 2 === 0, code: 'odd' });
    assert.equal(read('n=42', even).value, '42');
    assert.deepEqual(refusal('n=41', even, 'n'), { field: 'n', code: 'odd', message: 'n is not valid' });
  });

  test('an enum, and a list of enum values given as a,b or repeated', () => {
    const assigned = (q: RequestQuery) => q.enum('assigned', ['me', 'role']);
    assert.equal(read('assigned=role', assigned).value, 'role');
    for (const bad of ['', 'everyone', 'ME', 'me,role']) {
      assert.deepEqual(refusal(`assigned=${bad}`, assigned, 'assigned'), { field: 'assigned', code: 'invalid', message: 'assigned must be one of: me, role' }, bad);
    }
    const status = (q: RequestQuery) => q.list('status', ['submitted', 'in_review', 'rejected']);
    assert.equal(read('', status).value, undefined);
    assert.deepEqual(read('status=submitted', status).value, ['submitted']);
    assert.deepEqual(read('status=submitted,%20in_review', status).value, ['submitted', 'in_review']);
    assert.deepEqual(read('status=submitted&status=rejected,submitted', status).value, ['submitted', 'rejected'], 'repeats merge, without duplicates');
    for (const bad of ['status=', 'status=,', 'status=draft', 'status=submitted,draft', 'status=submitted,', 'status=submitted&status=']) {
      assert.equal(refusal(bad, status, 'status').code, 'invalid', bad);
    }
  });

  test('a date: a calendar day in Serbia (start, or the whole day with end), or a date-time with its offset', () => {
    const from = (q: RequestQuery) => q.date('from');
    const to = (q: RequestQuery) => q.date('to', { end: true });
    // Winter: UTC+1; summer: UTC+2; across the spring change the day is 23 hours long.
    assert.equal(read('from=2026-01-15', from).value, Date.parse('2026-01-14T23:00:00Z'));
    assert.equal(read('to=2026-01-15', to).value, Date.parse('2026-01-15T23:00:00Z'));
    assert.equal(read('from=2026-07-01', from).value, Date.parse('2026-06-30T22:00:00Z'));
    assert.equal(read('to=2026-03-29', to).value! - read('from=2026-03-29', from).value!, 23 * 3600_000);
    assert.equal(read('to=2026-12-31', to).value, Date.parse('2026-12-31T23:00:00Z'), 'the last day of the year ends at New Year');
    assert.equal(read('from=2026-05-01T08:30:00%2B02:00', from).value, Date.parse('2026-05-01T06:30:00Z'));
    assert.equal(read('from=2026-05-01T06:30Z', from).value, Date.parse('2026-05-01T06:30:00Z'));
    assert.equal(read('to=2026-05-01T06:30:00.250Z', to).value, Date.parse('2026-05-01T06:30:00.250Z'), 'a date-time is exact, even with end');
    assert.deepEqual(refusal('from=2026-02-30', from, 'from'), { field: 'from', code: 'date', message: 'from is not a real date' });
    for (const bad of ['', 'today', '2026-1-5', '2026-05-01T06:30:00', '2026-05-01 06:30Z', '2026-13-01T00:00Z', '20260501']) {
      assert.deepEqual(refusal(`from=${bad}`, from, 'from'), { field: 'from', code: 'date', message: 'from must be a date (YYYY-MM-DD) or a date-time with its offset' }, bad);
    }
  });

  test('a cursor: as sent when it could be one; an empty, over-long or non-base64url one is refused', () => {
    const cursor = (q: RequestQuery) => q.cursor();
    assert.equal(read('', cursor).value, undefined);
    assert.equal(read('cursor=WzFd', cursor).value, 'WzFd');
    const refused = { field: 'cursor', code: 'invalid', message: 'cursor is not one this server gave out' };
    for (const bad of ['', 'a.b', 'a%2Bb', 'WzFd%3D', 'x'.repeat(MAX_CURSOR_LENGTH + 1)]) {
      assert.deepEqual(refusal(`cursor=${bad}`, cursor, 'cursor'), refused, bad);
    }
  });

  test('every parameter at fault is reported at once, in reading order, with the route\'s own checks', () => {
    const { errors } = read('limit=0&assigned=x&form=&from=2026-02-30&to=2026-01-01&cursor=%24', (q) => {
      q.integer('limit', { min: 1, max: 100, default: 20 });
      q.enum('assigned', ['me', 'role']);
      q.string('form', { max: 64 });
      const from = q.date('from');
      const to = q.date('to', { end: true });
      if (from !== undefined && to !== undefined && to <= from) q.invalid('to', 'range', 'to must be after from');
      q.invalid('subjectType', 'required', 'subjectType is required with subjectId');
      return q.cursor();
    });
    assert.deepEqual(errors?.map((e) => `${e.field}:${e.code}`), ['limit:range', 'assigned:invalid', 'form:invalid', 'from:date', 'subjectType:required', 'cursor:invalid']);
  });

  test('only parameters that were sent: names on Object.prototype are absent, not inherited', () => {
    // Koa's ctx.query is a plain object: `constructor` and `toString` are inherited from it.
    const query = new RequestQuery(parsed('limit=5'));
    assert.equal(query.string('constructor', { max: 10 }), undefined);
    assert.equal(query.enum('toString', ['a']), undefined);
    assert.equal(query.list('hasOwnProperty', ['a']), undefined);
    query.done();
    assert.equal(read('constructor=x', (q) => q.string('constructor', { max: 5 })).value, 'x');
  });
});

describe('keyset cursors', () => {
  const refused = (cursor: string, shape: readonly ('integer' | 'id')[]) => {
    assert.throws(() => decodeCursor(cursor, shape), (err: unknown) => {
      assert.ok(err instanceof HttpError);
      assert.equal(err.status, 400);
      assert.deepEqual(err.errors, [{ field: 'cursor', code: 'invalid', message: 'cursor is not one this server gave out' }]);
      return true;
    }, cursor);
  };
  const of = (text: string) => Buffer.from(text).toString('base64url');

  test('a key comes back as it went, typed by its shape', () => {
    const key: [number, string] = [1_767_225_600_000, '0b7f3c2e-4a5d-4c1e-9f00-123456789abc'];
    const cursor = encodeCursor(key);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/, 'base64url, no padding');
    const [at, id]: [number, string] = decodeCursor(cursor, ['integer', 'id']);
    assert.deepEqual([at, id], key);
    assert.deepEqual(decodeCursor(encodeCursor([42]), ['integer']), [42]);
    assert.deepEqual(decodeCursor(encodeCursor([0]), ['integer']), [0]);
    // The longest key there can be still fits the length every route lets through.
    const longest = encodeCursor([Number.MIN_SAFE_INTEGER, '~'.repeat(64)]);
    assert.ok(longest.length <= MAX_CURSOR_LENGTH, `${longest.length}`);
    assert.deepEqual(decodeCursor(longest, ['integer', 'id']), [Number.MIN_SAFE_INTEGER, '~'.repeat(64)]);
  });

  test('anything but exactly what encodeCursor makes of such a key is refused with a 400 on cursor', () => {
    const pair = ['integer', 'id'] as const;
    refused('', pair);
    refused('garbage', pair);
    refused('bm9wZQ', pair); // "nope"
    refused('%F0%9F%98%80', pair);
    refused(of('[1,"a"]') + '=', pair); // padded
    refused(of('[1, "a"]'), pair); // not how it was written
    refused(of('[1.0,"a"]'), pair);
    refused(of('[-0,"a"]'), pair);
    refused(of('[1,"a"]\n'), pair);
    refused(of('{"0":1,"1":"a"}'), pair);
    refused(of('[1]'), pair);
    refused(of('[1,"a",2]'), pair);
    refused(of('["1","a"]'), pair);
    refused(of('[1,2]'), pair);
    refused(of('[1.5,"a"]'), pair);
    refused(of('[1e20,"a"]'), pair); // beyond a safe integer: a bigint column would choke on it
    refused(of('[1,""]'), pair);
    refused(of(`[1,"${'a'.repeat(65)}"]`), pair);
    refused(of('[1,"a b"]'), pair);
    refused(of('[1,"é"]'), pair);
    refused(Buffer.from([0x5b, 0x31, 0x2c, 0x22, 0xff, 0x22, 0x5d]).toString('base64url'), pair); // not UTF-8
    refused(of('s12'), ['integer']); // the old audit format
    refused(of(`[1,"${'a'.repeat(64)}"]`).padEnd(MAX_CURSOR_LENGTH + 1, 'A'), pair);
  });
});
