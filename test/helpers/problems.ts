import assert from 'node:assert/strict';
import type { Problem } from '../../components/core/problem.ts';

/**
 * Asserts that an answer is the problem+json the server gives for a refusal: the status, the
 * media type, a problem body that names its status, type and title, and (when asked) an error
 * on `field`, with `code`. Returns the problem for further checks.
 */
export function assertProblem(res: { status: number; headers: Headers; body: unknown }, status: number, field?: string, code?: string): Problem {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = res.body as Problem;
  assert.equal(problem.status, status);
  assert.ok(problem.type.startsWith('https://overa.dev/problems/'), problem.type);
  assert.ok(problem.title);
  if (field !== undefined) {
    const error = problem.errors?.find((e) => e.field === field);
    assert.ok(error, `expected an error on ${field}: ${JSON.stringify(problem)}`);
    if (code !== undefined) assert.equal(error.code, code, JSON.stringify(problem));
  }
  return problem;
}
