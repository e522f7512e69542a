// The test setup itself: a failed assertion about an element must reach the runner (a DOM
// element in the error could not be sent, and the whole run hung; test/helpers/cloneable-assertions.ts).
import { expect } from '@open-wc/testing';

describe('the element test setup', () => {
  it('turns an element in a failed assertion into its markup, which can be sent to the runner', () => {
    const el = document.createElement('p');
    el.textContent = 'Zdravo';
    let failure: unknown;
    try {
      expect(el).to.equal(null);
    } catch (err) {
      failure = err;
    }
    const { actual, expected, message } = failure as { actual: unknown; expected: unknown; message: string };
    // Checked as a type first: without the setup, `actual` is the element itself.
    expect(typeof actual).to.equal('string');
    expect(actual).to.equal('<p>Zdravo</p>');
    expect(expected).to.equal(null);
    expect(message).to.contain('to equal null');
    expect(() => structuredClone({ actual, expected, message })).not.to.throw();
  });
});
