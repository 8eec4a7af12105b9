import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { videosConfig } from '../config.js';
import { availableBinaries } from './binaries.js';
import { TranscodeError } from './errors.js';
import { runTool } from './exec.js';
import { parseMasterPlaylist, parseMediaPlaylist } from './hls-playlist.js';
import { probeMedia } from './probe.js';
import { transcodeVideo, type TranscodeResult } from './run.js';
import { makeTestSource, tempFolder } from '../../../test/support/media.js';

async function streamSize(ffprobe: string, file: string): Promise<string> {
  const run = await runTool(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]);
  assert.equal(run.code, 0, run.stderrTail);
  return run.stdout.trim().split('\n')[0]!.replace(',', 'x');
}

// Every pair this machine has: FFMPEG_PATH/FFPROBE_PATH, PATH, the npm-bundled build.
for (const binaries of availableBinaries(videosConfig.parse(process.env))) {
  describe(`one-pass transcoding (${binaries.source} ffmpeg)`, () => {
    let dir: string;
    let remove: () => Promise<void>;
    let source: string;
    let out: string;
    let result: TranscodeResult;
    const progress: number[] = [];
    before(async () => {
      ({ dir, remove } = await tempFolder('transcode'));
      source = await makeTestSource(binaries.ffmpeg, dir, 'source.mp4', { seconds: 10 });
      out = path.join(dir, 'videos', 'abc');
      result = await transcodeVideo({ input: source, outputDir: out, binaries, onProgress: (p) => progress.push(p), progressThrottleMs: 0 });
    });
    after(() => remove());

    it('writes a master playlist whose every variant and audio playlist parses, with every segment present', async () => {
      const master = parseMasterPlaylist(await readFile(path.join(out, 'master.m3u8'), 'utf8'));
      const uris = [...master.variants.map((v) => v.uri!), ...master.media.map((m) => m.uri!)];
      assert.deepEqual(uris, ['360p/index.m3u8', '240p/index.m3u8', 'audio/index.m3u8']);
      for (const uri of uris) {
        const playlist = parseMediaPlaylist(await readFile(path.join(out, uri), 'utf8'));
        assert.ok(playlist.endList, uri);
        assert.equal(playlist.version, 7, uri);
        for (const file of [playlist.mapUri!, ...playlist.segments.map((s) => s.uri)]) {
          assert.ok(existsSync(path.join(out, path.dirname(uri), file)), `${uri}: ${file}`);
        }
      }
    });

    it('cuts every video rendition into 4 s segments on the same boundaries', async () => {
      const durations = await Promise.all(
        ['360p', '240p'].map(async (name) => {
          const playlist = parseMediaPlaylist(await readFile(path.join(out, name, 'index.m3u8'), 'utf8'));
          return playlist.segments.map((s) => s.duration);
        }),
      );
      assert.deepEqual(durations[0], durations[1]);
      assert.equal(durations[0]!.length, 3);
      for (const d of durations[0]!.slice(0, -1)) assert.ok(Math.abs(d - 4) < 0.05, String(d));
      assert.ok(Math.abs(durations[0]!.reduce((a, b) => a + b, 0) - 10) < 0.1);
    });

    it('produces variants that ffprobe reads at their planned resolutions', async () => {
      assert.equal(await streamSize(binaries.ffprobe, path.join(out, '360p', 'index.m3u8')), '640x360');
      assert.equal(await streamSize(binaries.ffprobe, path.join(out, '240p', 'index.m3u8')), '426x240');
    });

    it('advertises measured BANDWIDTH and the CODECS of the stream actually produced', async () => {
      const master = parseMasterPlaylist(await readFile(path.join(out, 'master.m3u8'), 'utf8'));
      const top = master.variants[0]!.attributes;
      assert.equal(top.RESOLUTION, '640x360');
      assert.equal(top.CODECS, 'avc1.64001e,mp4a.40.2');
      const measured = result.measurements['360p']!;
      const audio = result.measurements.audio!;
      assert.equal(Number(top.BANDWIDTH), Math.ceil(measured.peakBitrate + audio.peakBitrate));
      assert.ok(Number(top['AVERAGE-BANDWIDTH']) <= Number(top.BANDWIDTH));
      assert.ok(measured.averageBitrate > 200_000 && measured.averageBitrate < 1_500_000, String(measured.averageBitrate));
    });

    it('reports progress that only rises and ends at 100', () => {
      assert.ok(progress.length >= 1);
      // Reported while ffmpeg works, not all at its end (a storyboard output written only at the end held back
      // every report of ffmpeg 5 and later).
      assert.ok(progress[0]! < 90, progress.join(','));
      assert.equal(progress.at(-1), 100);
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! > progress[i - 1]!, progress.join(','));
      assert.ok(progress.every((p) => p >= 0 && p <= 100));
    });

    it('writes a poster and a storyboard sprite whose VTT cells lie inside it', async () => {
      assert.equal(await streamSize(binaries.ffprobe, path.join(out, 'poster.jpg')), '640x360');
      const plan = result.storyboard!.plan;
      const sprite = await streamSize(binaries.ffprobe, path.join(out, 'storyboard.jpg'));
      assert.equal(sprite, `${plan.columns * plan.thumbWidth}x${plan.rows * plan.thumbHeight}`);
      const vtt = await readFile(path.join(out, 'storyboard.vtt'), 'utf8');
      const cells = [...vtt.matchAll(/storyboard\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)/g)].map((m) => m.slice(1).map(Number));
      assert.equal(cells.length, 5);
      for (const [x, y, w, h] of cells) assert.ok(x! + w! <= plan.columns * 160 && y! + h! <= plan.rows * 90);
    });

    it('leaves only the finished folder behind, no temporary ones', async () => {
      assert.deepEqual(await readdir(path.dirname(out)), ['abc']);
    });

    it('transcodes an audio-only source to the audio rendition alone, without poster or storyboard', async () => {
      const song = await makeTestSource(binaries.ffmpeg, dir, 'song.m4a', { video: false, seconds: 5 });
      const songOut = path.join(dir, 'songs', 'one');
      const done = await transcodeVideo({ input: song, outputDir: songOut, binaries });
      assert.equal(done.poster, undefined);
      assert.equal(done.storyboard, undefined);
      assert.deepEqual((await readdir(songOut)).sort(), ['audio', 'master.m3u8']);
      const master = parseMasterPlaylist(await readFile(path.join(songOut, 'master.m3u8'), 'utf8'));
      assert.deepEqual(
        master.variants.map((v) => [v.uri, v.attributes.CODECS]),
        [['audio/index.m3u8', 'mp4a.40.2']],
      );
    });

    it('replaces a previous output folder once the new one is complete', async () => {
      const again = path.join(dir, 'again');
      await mkdir(again);
      await writeFile(path.join(again, 'stale.txt'), 'from an older transcode');
      await transcodeVideo({ input: source, outputDir: again, binaries, poster: false, storyboard: false, ladder: { heights: [240] } });
      assert.deepEqual((await readdir(again)).sort(), ['240p', 'audio', 'master.m3u8']);
      assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('.again')), []);
    });
  });

  describe(`transcoding that stops early (${binaries.source} ffmpeg)`, () => {
    let dir: string;
    let remove: () => Promise<void>;
    let source: string;
    before(async () => {
      ({ dir, remove } = await tempFolder('transcode-stop'));
      source = await makeTestSource(binaries.ffmpeg, dir, 'long.mp4', { seconds: 30 });
    });
    after(() => remove());

    it('kills ffmpeg when aborted and leaves no output folder behind', async () => {
      const out = path.join(dir, 'aborted');
      const controller = new AbortController();
      const seen: number[] = [];
      const onProgress = (p: number) => {
        seen.push(p);
        if (p > 0) controller.abort();
      };
      // A slow preset keeps ffmpeg busy long enough to be caught mid-run.
      const run = transcodeVideo({ input: source, outputDir: out, binaries, preset: 'slow', onProgress, progressThrottleMs: 0, signal: controller.signal });
      await assert.rejects(run, (error: unknown) => error instanceof TranscodeError && error.reason === 'aborted');
      assert.ok(seen.length > 0 && seen.at(-1)! < 100, seen.join(','));
      assert.deepEqual(await leftovers(dir, 'aborted'), []);
    });

    it('does nothing for a signal aborted before the start', async () => {
      const run = transcodeVideo({ input: source, outputDir: path.join(dir, 'never'), binaries, signal: AbortSignal.abort() });
      await assert.rejects(run, (error: unknown) => error instanceof TranscodeError && error.reason === 'aborted');
      assert.deepEqual(await leftovers(dir, 'never'), []);
    });

    it("fails with ffmpeg's own stderr in the message and leaves nothing behind", async () => {
      const run = transcodeVideo({ input: source, outputDir: path.join(dir, 'broken'), binaries, preFilter: 'nosuchfilter' });
      await assert.rejects(run, (error: unknown) => {
        assert.ok(error instanceof TranscodeError);
        assert.equal(error.reason, 'ffmpeg_failed');
        assert.match(error.message, /nosuchfilter/);
        assert.match(error.stderrTail, /No such filter/i);
        return true;
      });
      assert.deepEqual(await leftovers(dir, 'broken'), []);
    });

    it('turns an ffmpeg that cannot be started into a TranscodeError and leaves nothing behind', async () => {
      const summary = await probeMedia(source, { binaries });
      const missing = { ...binaries, ffmpeg: path.join(dir, 'no-such-ffmpeg') };
      const run = transcodeVideo({ input: source, outputDir: path.join(dir, 'unstarted'), binaries: missing, summary });
      await assert.rejects(run, (error: unknown) => error instanceof TranscodeError && /cannot run/.test(error.message));
      assert.deepEqual(await leftovers(dir, 'unstarted'), []);
    });
  });
}

/** Entries of `dir` named after `name`: the output itself or one of its temporary siblings. */
async function leftovers(dir: string, name: string): Promise<string[]> {
  return (await readdir(dir)).filter((entry) => entry === name || entry.startsWith(`.${name}.`));
}
