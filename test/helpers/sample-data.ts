import { jmbgControlDigit } from '../../components/core/forms/validators.ts';

/** A valid personal number (JMBG) for sample applicants. */
export const JMBG = '010199071000' + jmbgControlDigit('010199071000');

/** Answers to the demo certificate-of-residence form, complete and valid; `overrides` replaces some. */
export const residence = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer',
  postalCode: '21000', purpose: 'employment', delivery: 'online', ...overrides,
});
