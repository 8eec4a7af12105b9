import archiver from 'archiver';
import { Readable } from 'node:stream';
import type { MediaStorage } from '../../core/storage/index.js';
import type { ResolvedFile } from './service.js';

/**
 * A ZIP of `files` streamed as it is written: each stored file is read when the archive reaches it, and
 * nothing is written to disk. Entries are stored, not deflated (video, audio, images and PDFs are
 * compressed already; deflating would cost CPU for nothing); ZIP64 where sizes need it.
 */
export function zipStream(storage: MediaStorage, folder: string, files: ResolvedFile[]): ReadableStream<Uint8Array> {
  const archive = archiver('zip', { store: true, zlib: { level: 0 } });
  void (async () => {
    try {
      for (const file of files) {
        const stored = await storage.get(file.key);
        if (!stored) throw new Error(`bundle file ${file.key} is missing from storage`);
        const source = Readable.fromWeb(stored.body as import('node:stream/web').ReadableStream<Uint8Array>);
        // One entry at a time: archiver reads each source to its end before the next one.
        await new Promise<void>((resolve, reject) => {
          archive.once('entry', () => resolve());
          archive.once('error', reject);
          archive.append(source, { name: `${folder}/${file.filename}`, store: true });
        });
      }
      await archive.finalize();
    } catch (error) {
      archive.destroy(error as Error);
    }
  })();
  return Readable.toWeb(archive) as ReadableStream<Uint8Array>;
}
