/** File system helpers of the hot folder: moving, quarantining, writing atomically. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What `<file>.reason.json` holds next to a quarantined file. */
export interface QuarantineReason {
  reason: string;
  message: string;
  at: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** A name in `dir` that is not taken: `name`, else `name` with a time stamp before its extension. */
async function freeName(dir: string, name: string): Promise<string> {
  if (!(await exists(join(dir, name)))) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 1; ; i++) {
    const candidate = `${stem}.${Date.now()}-${i}${ext}`;
    if (!(await exists(join(dir, candidate)))) return candidate;
  }
}

/** Moves a file into `dir` (renaming on a clash); returns the new path. Works across file systems. */
export async function moveInto(path: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, await freeName(dir, basename(path)));
  try {
    await rename(path, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(path, target);
    await unlink(path);
  }
  return target;
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can fsync a directory; the rename is still atomic.
  }
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename over
 * `path`, fsync the folder. A reader never sees a partial file.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await fsyncDir(dir);
}

/** Moves a file into `dir` and writes `<file>.reason.json` beside it. */
export async function quarantine(path: string, dir: string, reason: string, message: string, at = new Date()): Promise<string> {
  const target = await moveInto(path, dir);
  const body: QuarantineReason = { reason, message, at: at.toISOString() };
  await writeFileAtomic(`${target}.reason.json`, `${JSON.stringify(body, null, 2)}\n`);
  return target;
}

export { exists as fileExists };
