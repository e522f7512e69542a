/**
 * The Mocha globals Web Test Runner provides in the browser (no @types/mocha installed;
 * this is the small part our tests use).
 */
declare global {
  interface MochaContext {
    timeout(ms: number): void;
  }
  type MochaDone = (err?: unknown) => void;
  type MochaFn = (this: MochaContext) => void | Promise<unknown>;
  function describe(title: string, fn: (this: MochaContext) => void): void;
  function it(title: string, fn: MochaFn): void;
  function before(fn: MochaFn): void;
  function after(fn: MochaFn): void;
  function beforeEach(fn: MochaFn): void;
  function afterEach(fn: MochaFn): void;
}
export {};
