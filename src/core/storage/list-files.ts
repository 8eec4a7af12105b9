import { readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Relative `/`-separated paths of the regular files under `dir`. Anything else (a symlink, a socket) is
 * refused, so an upload can never carry a link pointing elsewhere on the machine into media storage.
 */
export async function listFiles(dir: string, base = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(dir, base), { withFileTypes: true })) {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) files.push(relative);
    else throw new Error(`putDirectory: not a regular file: ${path.join(dir, relative)}`);
  }
  return files;
}
