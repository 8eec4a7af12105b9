import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PREFIX = 'fanfare-transcode-';

/**
 * A scratch folder for one transcode attempt, named after this process (`fanfare-transcode-<pid>-…`), so
 * a later start can tell the folders of a killed worker from those of a live one.
 */
export function scratchFolder(dir: string = tmpdir()): Promise<string> {
  return mkdtemp(path.join(dir, `${PREFIX}${process.pid}-`));
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the scratch folders of transcode attempts whose process is gone (a killed or crashed worker
 * leaves a copy of the source and partial renditions behind: tens of megabytes each, forever
 * otherwise). Folders of older versions, without a pid in their name, are removed when older than a day.
 * Returns the folders removed.
 */
export async function sweepStaleScratchFolders(dir: string = tmpdir(), now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || !entry.name.startsWith(PREFIX)) continue;
    const pid = /^(\d+)-/.exec(entry.name.slice(PREFIX.length))?.[1];
    const folder = path.join(dir, entry.name);
    if (pid !== undefined) {
      if (alive(Number(pid))) continue;
    } else {
      const info = await stat(folder).catch(() => undefined);
      if (!info || now - info.mtimeMs < 24 * 3600 * 1000) continue;
    }
    await rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return removed;
}
