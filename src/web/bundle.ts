import { mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
/** The small client scripts; each becomes /assets/<name>.js. */
export const CLIENT_ENTRIES = ['player', 'upload', 'studio-video', 'peers'] as const;
export type ClientEntry = (typeof CLIENT_ENTRIES)[number];

export interface BuiltAsset {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

let built: Promise<Map<string, BuiltAsset>> | undefined;

/**
 * Bundles the client scripts with esbuild, once per process, into memory (and a cache folder for
 * inspection). Building at start keeps `npm install && npm start` a two-step setup with no build step
 * to forget, and costs well under a second.
 */
export function clientAssets(): Promise<Map<string, BuiltAsset>> {
  built ??= (async () => {
    const outdir = path.join(ROOT, 'node_modules', '.cache', 'fanfare-web');
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: Object.fromEntries(CLIENT_ENTRIES.map((name) => [name, path.join(HERE, 'client', `${name}.ts`)])),
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2020'],
      outdir,
      sourcemap: false,
      logLevel: 'silent',
      // The light build (no subtitles-in-manifest or DRM support) is half the size; captions come as <track>.
      alias: { 'hls.js': 'hls.js/dist/hls.light.mjs' },
      // p2p-media-loader-core's own browser bundle (its bittorrent-tracker client and WebRTC wrapper built in).
      conditions: ['p2pml:core-as-bundle'],
    });
    const assets = new Map<string, BuiltAsset>();
    for (const name of CLIENT_ENTRIES) {
      const body = new Uint8Array(readFileSync(path.join(outdir, `${name}.js`)));
      assets.set(`${name}.js`, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
    }
    return assets;
  })();
  return built;
}
