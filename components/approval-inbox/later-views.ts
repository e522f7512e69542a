/**
 * The later views of `<overa-approval-inbox>` as one chunk: an open request with everything done
 * in it (case-desk.ts, case-view.ts, send-to.ts) and the documents other agencies sent
 * (reception-view.ts). Neither is in the first load (the list of cases); one chunk rather than
 * two, because each lazy chunk makes esbuild split the code it shares with the element into
 * more first-load files (each gzipped on its own: larger in all than one), as
 * components/account/later-views.ts found. Loaded when a case is opened or the received
 * documents are shown, and on idle after the element's first render (LazyView).
 */
import { styles as caseStyles, messages as caseMessages } from './case-view.ts';
import { styles as receptionStyles, messages as receptionMessages } from './reception-view.ts';

export { CaseDesk } from './case-desk.ts';
export { ReceptionDesk } from './reception-view.ts';

export const styles = [...new Set([...caseStyles, ...receptionStyles])];
export const messages = [...caseMessages, ...receptionMessages];
