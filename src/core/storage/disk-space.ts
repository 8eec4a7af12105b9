import { statfs } from 'node:fs/promises';

/** Error codes that mean "the disk (or the quota) is full": the write can succeed later, not now. */
const FULL = new Set(['ENOSPC', 'EDQUOT']);

/** Whether `error`, or an error it was caused by, says the disk is full. */
export function isDiskFull(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (FULL.has(String((e as { code?: unknown }).code))) return true;
  }
  return false;
}

/** Free space below this, or below 5 % of the disk, is reported as low (a transcode alone writes gigabytes). */
export const LOW_DISK_BYTES = 2 * 1024 ** 3;

/** What the health check and the Studio say about the disk holding the data folder. */
export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
  low: boolean;
}

/** Reads the free space of a folder's file system; a probe of its own so tests can give a full disk. */
export type DiskSpaceProbe = (dir: string) => Promise<{ freeBytes: number; totalBytes: number }>;

export const statfsProbe: DiskSpaceProbe = async (dir) => {
  const s = await statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
};

/** The data folder's disk space, judged low or not; undefined when it cannot be read. */
export async function diskSpace(dir: string, probe: DiskSpaceProbe = statfsProbe): Promise<DiskSpace | undefined> {
  try {
    const { freeBytes, totalBytes } = await probe(dir);
    return { freeBytes, totalBytes, low: freeBytes < LOW_DISK_BYTES || freeBytes < totalBytes * 0.05 };
  } catch {
    return undefined;
  }
}
