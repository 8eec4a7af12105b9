import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { scratchFolder, sweepStaleScratchFolders } from './scratch.js';

describe('transcode scratch folders', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fanfare-scratch-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('removes at start the folders a killed worker left, never a live one\'s', async () => {
    // A process that has exited: its pid names no live process any more.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const killed = path.join(dir, `fanfare-transcode-${dead}-abc123`);
    mkdirSync(path.join(killed, 'out', '720p'), { recursive: true });
    writeFileSync(path.join(killed, 'source.mp4'), Buffer.alloc(1024));
    const mine = await scratchFolder(dir);
    const oldUnnamed = path.join(dir, 'fanfare-transcode-Xy12ab');
    mkdirSync(oldUnnamed);
    utimesSync(oldUnnamed, new Date('2026-01-01'), new Date('2026-01-01'));
    const freshUnnamed = path.join(dir, 'fanfare-transcode-Zz98cd');
    mkdirSync(freshUnnamed);
    const unrelated = path.join(dir, 'something-else');
    mkdirSync(unrelated);

    const removed = await sweepStaleScratchFolders(dir);
    assert.deepEqual(removed.sort(), [killed, oldUnnamed].sort());
    assert.ok(!existsSync(killed) && !existsSync(oldUnnamed));
    assert.ok(existsSync(mine) && existsSync(freshUnnamed) && existsSync(unrelated));
  });
});
