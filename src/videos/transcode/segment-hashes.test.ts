import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { playlistFiles, SEGMENT_HASHES_FILE, writeSegmentHashes } from './segment-hashes.js';

const PLAYLIST = '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.0,\nseg_00000.m4s\n#EXTINF:2.5,\nseg_00001.m4s\n#EXT-X-ENDLIST\n';

describe('segment hash lists', () => {
  it('names the init segment and every segment of a playlist, in order', () => {
    assert.deepEqual(playlistFiles(PLAYLIST), ['init.mp4', 'seg_00000.m4s', 'seg_00001.m4s']);
  });

  it('writes the SHA-256 of each file beside each rendition’s playlist', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fanfare-hashes-'));
    try {
      const files: Record<string, string> = { 'init.mp4': 'init', 'seg_00000.m4s': 'first', 'seg_00001.m4s': 'second' };
      for (const rendition of ['360p', 'audio']) {
        await mkdir(path.join(dir, rendition));
        await writeFile(path.join(dir, rendition, 'index.m3u8'), PLAYLIST);
        for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, rendition, name), `${rendition}:${body}`);
      }
      await writeSegmentHashes(dir, ['360p', 'audio']);
      for (const rendition of ['360p', 'audio']) {
        const list = JSON.parse(await readFile(path.join(dir, rendition, SEGMENT_HASHES_FILE), 'utf8'));
        const expected = Object.fromEntries(Object.entries(files).map(([name, body]) => [name, createHash('sha256').update(`${rendition}:${body}`).digest('hex')]));
        assert.deepEqual(list, expected);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
