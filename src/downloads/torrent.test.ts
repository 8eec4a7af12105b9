import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalStorage } from '../core/storage/index.js';
import { bencode } from './bencode.js';
import { buildTorrentInfo, magnetUri, PieceHasher, pieceLengthFor, torrentFile } from './torrent.js';

describe('downloads: BitTorrent v1 metainfo', () => {
  let root: string;
  const storage = () => createLocalStorage(root);
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'torrent-test-'));
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('bencodes dictionaries with keys in byte order and leaves out undefined values', () => {
    assert.equal(bencode({ z: 1, a: 'x', m: [2, 'yy'], skip: undefined }).toString(), 'd1:a1:x1:mli2e2:yye1:zi1ee');
    assert.equal(bencode('été').toString('latin1'), '5:' + Buffer.from('été').toString('latin1'));
    assert.throws(() => bencode(1.5), /not an integer/);
  });

  it('hashes pieces across file boundaries exactly like hashing the concatenated bytes', () => {
    const bytes = createHash('sha512').update('seed').digest();
    const all = Buffer.concat(Array.from({ length: 100 }, () => bytes)); // 6400 bytes
    const hasher = new PieceHasher(1024);
    const cuts = [0, 1, 1000, 2048, 3000, 6400];
    for (let i = 1; i < cuts.length; i++) hasher.update(all.subarray(cuts[i - 1], cuts[i]));
    const expected = Buffer.concat(Array.from({ length: 7 }, (_, i) => createHash('sha1').update(all.subarray(i * 1024, Math.min(all.length, (i + 1) * 1024))).digest()));
    assert.deepEqual(hasher.digest(), expected);
  });

  it('picks power-of-two pieces between 256 KiB and 16 MiB, about 2,000 per torrent at most', () => {
    assert.equal(pieceLengthFor(1000), 256 * 1024);
    assert.equal(pieceLengthFor(2 * 1024 ** 3), 2 * 1024 * 1024);
    assert.equal(pieceLengthFor(1024 ** 4), 16 * 1024 * 1024);
  });

  it('keeps the info hash whatever the web seeds and trackers outside the info dictionary', async () => {
    const s = storage();
    await s.put('a/one.bin', new Uint8Array(300_000).fill(7));
    await s.put('a/two.pdf', new Uint8Array(5).fill(1));
    const built = await buildTorrentInfo(s, 'Bundle', [
      { path: ['one.bin'], key: 'a/one.bin', length: 300_000 },
      { path: ['extras', 'two.pdf'], key: 'a/two.pdf', length: 5 },
    ]);
    assert.equal(built.totalLength, 300_005);
    const forAnna = torrentFile(built.info, { webSeeds: ['https://site.example/seed/anna/'] });
    const forBen = torrentFile(built.info, { webSeeds: ['https://site.example/seed/ben/'], trackers: ['http://127.0.0.1:1/announce'] });
    for (const file of [forAnna, forBen]) {
      const at = file.indexOf('4:info') + 6;
      assert.equal(createHash('sha1').update(file.subarray(at, at + built.info.length)).digest('hex'), built.infoHash);
    }
    assert.match(forAnna.toString('latin1'), /8:url-listl31:https:\/\/site\.example\/seed\/anna\/e/);
    assert.doesNotMatch(forAnna.toString('latin1'), /announce/, 'no tracker unless one is configured');
    assert.match(forBen.toString('latin1'), /8:announce27:http:\/\/127\.0\.0\.1:1\/announce/);
  });

  it('refuses a stored file whose size is not the one announced', async () => {
    const s = storage();
    await s.put('b/x.bin', new Uint8Array(10));
    await assert.rejects(buildTorrentInfo(s, 'x.bin', [{ path: ['x.bin'], key: 'b/x.bin', length: 11 }]), /has 10 bytes, expected 11/);
  });

  it('writes magnet links with the web seed and exact length', () => {
    assert.equal(magnetUri('ab'.repeat(20), 'A film.mp4', 42, ['https://s.example/media/v/x/download.mp4']), `magnet:?xt=urn:btih:${'ab'.repeat(20)}&dn=A%20film.mp4&xl=42&ws=https%3A%2F%2Fs.example%2Fmedia%2Fv%2Fx%2Fdownload.mp4`);
  });
});
