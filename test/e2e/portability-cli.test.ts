import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/server.js';
import { peertubeEntries, writeZip } from '../support/portability/peertube.js';

/** `fanfare export` on one site, `fanfare import` on another (two data folders, the embedded engine). */
const root = mkdtempSync(path.join(tmpdir(), 'fanfare-cli-archive-'));
const siteA = path.join(root, 'a');
const siteB = path.join(root, 'b');
const zip = path.join(root, 'films.zip');

function cli(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('fanfare export / fanfare import', { timeout: 600_000 }, () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('exports a channel, refuses a truncated copy in French, imports it on another site', async () => {
    const init = await cli(['init', '--email', 'owner@example.org', '--name', 'Owner', '--channel-name', 'Films', '--handle', 'films', '--language', 'en'], siteA);
    assert.equal(init.code, 0, init.stderr);
    const exported = await cli(['export', '--channel', 'films', '--out', zip], siteA);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /^Exported @films to .*films\.zip: \d+ rows/);

    const truncated = path.join(root, 'truncated.zip');
    const bytes = readFileSync(zip);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 40));
    const refused = await cli(['import', truncated, '--lang', 'fr'], siteB);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Cette archive est endommagée ou tronquée/);

    const imported = await cli(['import', zip, '--json'], siteB);
    assert.equal(imported.code, 0, imported.stderr);
    const report = JSON.parse(imported.stdout);
    assert.equal(report.handle, 'films');
    assert.equal(report.counts.channels, 1);
    assert.equal(report.alreadyImported, false);
    assert.match(report.oldActor, /\/c\/films$/);

    // A PeerTube account export is recognised; its channels need an owner here (`--owner`). A dry run
    // reads and checks everything without probing the video files (so any bytes stand for them here).
    const peertube = await writeZip(path.join(root, 'peertube.zip'), peertubeEntries(Buffer.from('video bytes')));
    const dry = await cli(['import', peertube, '--dry-run', '--owner', 'owner@example.org'], siteA);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run, nothing written: would import @atelier:/);
    assert.match(dry.stdout, /videos: 2/);
    assert.match(dry.stdout, /peertube_followers: 2/);
  });
});
