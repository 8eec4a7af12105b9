import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';
import { registerAssetPaths } from '../core/http/asset-paths.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run build` (run at install) put the client scripts, when this module runs from dist/. */
const PREBUILT = path.join(HERE, 'assets');
/** The client entries; each becomes /assets/<name>-<hash>.js (see scripts/build.mjs). */
export const CLIENT_ENTRIES = ['player', 'upload', 'studio-video', 'watch', 'peers'] as const;
export type ClientEntry = (typeof CLIENT_ENTRIES)[number];

export interface BuiltAsset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  etag: string;
  /** The name carries its content's hash: cacheable forever. The plain `<entry>.js` alias revalidates. */
  immutable: boolean;
}

/** What scripts/build.mjs exports for the client bundles. */
interface ClientRecipe {
  clientBuildOptions(outdir: string): BuildOptions & { metafile: true };
  clientManifest(metafile: Metafile, outdir: string): Manifest;
}

interface Manifest {
  entries: Record<string, string>;
  files: string[];
}

let built: Promise<Map<string, BuiltAsset>> | undefined;

const digest = (body: Uint8Array) => createHash('sha256').update(body).digest('base64url');

function assetsFrom(manifest: Manifest, read: (file: string) => Uint8Array): Map<string, BuiltAsset> {
  const assets = new Map<string, BuiltAsset>();
  const contentType = 'text/javascript; charset=utf-8';
  for (const file of manifest.files) {
    const body = new Uint8Array(read(file));
    assets.set(file, { body, contentType, etag: `"${digest(body).slice(0, 16)}"`, immutable: true });
  }
  const plain: [string, string][] = Object.entries(manifest.entries).map(([entry, file]) => [`${entry}.js`, file]);
  // The stylesheet, named by its hash the same way (it is small: read at start, from src/web or dist/web).
  const css = new Uint8Array(readFileSync(path.join(HERE, 'style.css')));
  const cssName = `style-${digest(css).slice(0, 10).replace(/[_-]/g, 'x')}.css`;
  assets.set(cssName, { body: css, contentType: 'text/css; charset=utf-8', etag: `"${digest(css).slice(0, 16)}"`, immutable: true });
  plain.push(['style.css', cssName]);
  for (const [alias, file] of plain) assets.set(alias, { ...assets.get(file)!, immutable: false });
  registerAssetPaths(plain);
  return assets;
}

/**
 * The client scripts: read from dist/web/assets when the server runs compiled (built at install, see
 * scripts/build.mjs), or bundled in memory with esbuild, once per process, when it runs from src/
 * (development and tests). Chunks (hls.js, loaded when the viewer presses play) come with their entries.
 */
export function clientAssets(): Promise<Map<string, BuiltAsset>> {
  built ??= (async () => {
    const manifestFile = path.join(PREBUILT, 'manifest.json');
    if (existsSync(manifestFile)) {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
      return assetsFrom(manifest, (file) => readFileSync(path.join(PREBUILT, file)));
    }
    // The same recipe as the install-time build (scripts/build.mjs), so development serves what production does.
    const recipeUrl = pathToFileURL(path.join(HERE, '..', '..', 'scripts', 'build.mjs')).href;
    const [{ build }, recipe] = await Promise.all([import('esbuild'), import(recipeUrl) as Promise<ClientRecipe>]);
    const outdir = path.join(HERE, 'assets');
    const result = await build({ ...recipe.clientBuildOptions(outdir), write: false });
    const bodies = new Map(result.outputFiles!.map((f) => [path.relative(outdir, f.path), f.contents]));
    return assetsFrom(recipe.clientManifest(result.metafile, outdir), (file) => bodies.get(file)!);
  })();
  return built;
}

