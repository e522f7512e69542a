import type { ApprovedHook } from './deps.ts';
import { issueDocument } from './documents.ts';

/**
 * The app's ApprovedHook: a final approval issues the document in the approval's own
 * transaction, so approved and issued commit together, or not at all. `issueOnApproval: false`
 * in the config leaves approved applications unissued (a script issues them).
 */
export const issueOnApproval: ApprovedHook = async (deps, trx, approved) => {
  if (deps.config.issueOnApproval === false) return;
  await issueDocument(deps, trx, approved.application.id, { decisions: approved.decisions });
};
