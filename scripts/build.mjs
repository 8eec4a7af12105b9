#!/usr/bin/env node
// Builds what `npm start` runs: the server compiled to plain JavaScript in dist/ (one file per source
// file, same layout, so paths relative to a module still hold), the files it reads beside its code
// (migrations, the PGlite worker, the stylesheet), and the client scripts bundled with content-hashed
// names in dist/web/assets (with dist/web/assets/manifest.json naming each entry's file).
//
// Runs at `npm install` (the root package's own postinstall, which npm runs even where it skips the
// dependencies' install scripts), on any Node from 20, and again before `npm start` when a source file
// is newer than the last build (`--if-stale`), so a `git pull` cannot start yesterday's code.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.built');
/** Files the server reads beside its modules, copied as they are. */
const COPIED = /\.(sql|mjs|css|svg|png)$/;
/** The client scripts; each becomes /assets/<name>-<hash>.js (keep in step with src/web/bundle.ts). */
export const CLIENT_ENTRIES = ['player', 'upload', 'studio-video', 'watch', 'peers'];

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function newestSource() {
  let newest = 0;
  for (const file of [...walk(SRC), path.join(ROOT, 'package.json'), fileURLToPath(import.meta.url)]) newest = Math.max(newest, statSync(file).mtimeMs);
  return newest;
}

/** The client bundles as the site serves them (also used in memory when running from src/). */
export function clientBuildOptions(esbuildOutdir) {
  return {
    entryPoints: Object.fromEntries(CLIENT_ENTRIES.map((name) => [name, path.join(SRC, 'web', 'client', `${name}.ts`)])),
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    outdir: esbuildOutdir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    sourcemap: false,
    logLevel: 'silent',
    metafile: true,
    // The light build (no subtitles-in-manifest or DRM support) is half the size; captions come as <track>.
    alias: { 'hls.js': 'hls.js/dist/hls.light.mjs' },
    // p2p-media-loader-core's own browser bundle (its bittorrent-tracker client and WebRTC wrapper built in).
    conditions: ['p2pml:core-as-bundle'],
  };
}

/** `{ entries: {player: 'player-AB12.js', …}, files: [every file of the build] }` from esbuild's metafile. */
export function clientManifest(metafile, outdir) {
  const entries = {};
  const files = [];
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    const file = path.relative(outdir, path.resolve(output));
    files.push(file);
    const entry = meta.entryPoint && path.basename(meta.entryPoint, '.ts');
    if (entry && CLIENT_ENTRIES.includes(entry)) entries[entry] = file;
  }
  return { entries, files };
}

export async function build() {
  const { build: esbuild } = await import('esbuild');
  const started = Date.now();
  rmSync(DIST, { recursive: true, force: true });
  const sources = walk(SRC).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.includes(`${path.sep}web${path.sep}client${path.sep}`));
  await esbuild({
    entryPoints: sources,
    outdir: DIST,
    outbase: SRC,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    bundle: false,
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
  });
  for (const file of walk(SRC).filter((f) => COPIED.test(f))) {
    const to = path.join(DIST, path.relative(SRC, file));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(file, to);
  }
  const assetsDir = path.join(DIST, 'web', 'assets');
  const result = await esbuild(clientBuildOptions(assetsDir));
  writeFileSync(path.join(assetsDir, 'manifest.json'), JSON.stringify(clientManifest(result.metafile, assetsDir), null, 2));
  writeFileSync(STAMP, new Date().toISOString());
  console.log(`fanfare: built dist/ (${sources.length} modules, client assets) in ${Date.now() - started} ms`);
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource()) process.exit(0);
  build().catch((error) => {
    console.error('fanfare: the build failed:', error);
    process.exit(1);
  });
}
