import { link, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const TMP_NAME = /^[0-9a-f-]{36}\.part$/;

/**
 * Content-addressed file storage: a file lives at `<root>/<sha256[0..2]>/<sha256>`, so the
 * same bytes are stored once however often they are uploaded. Files are written to
 * `<root>/tmp` first and only linked into place once complete and fsynced, together with
 * their directory: a file that was acknowledged survives a crash, and a half-written one
 * never appears under its hash.
 */
export class BlobStore {
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  /** A fresh path in the temp folder (the folder is created if needed). */
  async tempPath(): Promise<string> {
    await mkdir(this.tmpDir, { recursive: true });
    return join(this.tmpDir, `${randomUUID()}.part`);
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Moves a complete, fsynced temp file to its place and makes the directory entry durable.
   * When the content is already stored, the temp file is simply dropped (dedupe). Returns
   * whether the bytes were new.
   */
  async put(tempPath: string, sha256: string, size: number): Promise<boolean> {
    const target = this.pathOf(sha256);
    const dir = join(this.root, sha256.slice(0, 2));
    if (await mkdir(dir, { recursive: true })) {
      // A new shard folder: make its name durable, and the store's own (made with the first one).
      await fsyncDir(this.root);
      await fsyncDir(dirname(this.root));
    }
    let created = true;
    try {
      await link(tempPath, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      created = false;
      // Same hash, so same bytes, unless the stored copy was damaged: then replace it.
      if ((await stat(target)).size !== size) {
        await rename(tempPath, target);
        created = true;
      }
    }
    await fsyncDir(dir);
    await rm(tempPath, { force: true });
    return created;
  }

  /** Opens a stored file for reading; undefined when it is not there. */
  async open(sha256: string): Promise<FileHandle | undefined> {
    try {
      return await open(this.pathOf(sha256), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Temp files left by a crash mid-upload, older than `before` (epoch ms), are removed. */
  async sweepTemp(before: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      if (!TMP_NAME.test(name)) continue;
      const path = join(this.tmpDir, name);
      try {
        if ((await stat(path)).mtimeMs < before) {
          await rm(path, { force: true });
          removed++;
        }
      } catch {
        // Finished or removed by its own request meanwhile.
      }
    }
    return removed;
  }
}

/** fsync on a directory makes the names in it durable (Linux, macOS); skipped where unsupported. */
export async function fsyncDir(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}
