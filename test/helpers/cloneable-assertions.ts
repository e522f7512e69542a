/**
 * Loaded into every element test page (web-test-runner.config.mjs, testRunnerHtml). The runner
 * sends a failed assertion to Node with structuredClone, which throws on a DOM element (or a
 * function) in the error's `actual` / `expected`: the failure was never reported and the whole
 * run hung until its timeout (modernweb-dev/web#2967). Such values are replaced by a
 * description before the error leaves chai, so the failure is reported with its message.
 * It runs after the test framework's script: @open-wc/testing registers its fixture clean-up
 * with mocha when first imported, so mocha must be there by then.
 */
import { chai } from '@open-wc/testing';

function describeValue(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    if (value instanceof Element) return value.outerHTML.length > 300 ? `${value.outerHTML.slice(0, 300)}…` : value.outerHTML;
    return Object.prototype.toString.call(value);
  }
}

const assertion = chai.Assertion.prototype as unknown as { assert: (...args: unknown[]) => void };
const original = assertion.assert;
assertion.assert = function (this: unknown, ...args: unknown[]) {
  try {
    original.apply(this, args);
  } catch (err) {
    if (err instanceof chai.AssertionError) {
      const failed = err as unknown as { actual?: unknown; expected?: unknown };
      failed.actual = describeValue(failed.actual);
      failed.expected = describeValue(failed.expected);
    }
    throw err;
  }
};
