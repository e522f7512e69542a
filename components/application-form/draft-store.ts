import type { StoredUpload } from '../core/api.ts';
import type { RawValue } from './fields.ts';

/** What is kept in the browser between visits: the answers, the uploaded files and the server draft's id. */
export interface SavedDraft {
  values: Record<string, RawValue>;
  files: Record<string, StoredUpload[]>;
  applicationId: string | null;
  /** ISO time of the last save. */
  savedAt: string;
}

const PREFIX = 'overa.draft:';

/**
 * Browser autosave of an unfinished application, in localStorage so it survives closing
 * the tab. Answers stay on this device only; they are removed once the application is
 * sent (or when the person chooses to start again).
 */
export class DraftStore {
  constructor(private readonly key: string) {}

  static keyFor(apiBase: string, formId: string, version: number, applicationId: string | null): string {
    return `${PREFIX}${apiBase}${formId}@${version}${applicationId ? `#${applicationId}` : ''}`;
  }

  load(): SavedDraft | null {
    try {
      const raw = globalThis.localStorage?.getItem(this.key);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<SavedDraft>;
      if (!parsed || typeof parsed !== 'object' || typeof parsed.values !== 'object' || parsed.values === null) return null;
      return {
        values: parsed.values,
        files: parsed.files && typeof parsed.files === 'object' ? parsed.files : {},
        applicationId: typeof parsed.applicationId === 'string' ? parsed.applicationId : null,
        savedAt: typeof parsed.savedAt === 'string' ? parsed.savedAt : new Date(0).toISOString(),
      };
    } catch {
      // Storage disabled, full, or a value we did not write: behave as if nothing was saved.
      return null;
    }
  }

  save(draft: SavedDraft): void {
    try {
      globalThis.localStorage?.setItem(this.key, JSON.stringify(draft));
    } catch {
      /* not saved: the form still works, only the autosave does not */
    }
  }

  clear(): void {
    try {
      globalThis.localStorage?.removeItem(this.key);
    } catch {
      /* nothing to clear */
    }
  }
}
