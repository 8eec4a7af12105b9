import { createHash } from 'node:crypto';
import type { AppDeps } from '../../core/deps.js';
import { buildTorrentInfo, magnetUri, siteTrackers, torrentFile } from '../../downloads/index.js';
import * as q from './queries.js';
import type { ResolvedFile } from './service.js';
import { expiryFrom, SEED_SECONDS, sign } from './signing.js';

/** The folder name inside a bundle's torrent of one access level: `<slug>`, `<slug>-locked`, `<slug>-bonus`. */
export function torrentName(bundle: Pick<q.BundleRow, 'slug'>, access: q.FileAccess): string {
  return access === 'free' ? bundle.slug : `${bundle.slug}-${access}`;
}

// What the info dictionary depends on: names, order, and the stored bytes (key and size stand for them:
// every write goes to a fresh key or changes the size; a video's re-transcode changes its key).
function fingerprint(name: string, files: ResolvedFile[]): string {
  return createHash('sha256').update(JSON.stringify([name, files.map((f) => [f.filename, f.key, f.length])])).digest('hex');
}

/**
 * The info dictionary of one access level of a bundle, rebuilt (streamed piece hashing) when its files
 * changed since the stored one; undefined when that level has no files.
 */
export async function ensureBundleTorrent(deps: AppDeps, bundle: q.BundleRow, access: q.FileAccess, all: ResolvedFile[]): Promise<q.BundleTorrentRow | undefined> {
  const files = all.filter((f) => f.access === access);
  if (files.length === 0) return undefined;
  const name = torrentName(bundle, access);
  const print = fingerprint(name, files);
  const existing = await q.findBundleTorrent(deps.db, bundle.id, access);
  if (existing?.fingerprint === print) return existing;
  const built = await buildTorrentInfo(
    deps.storage,
    name,
    files.map((f) => ({ path: [f.filename], key: f.key, length: f.length })),
  );
  const row: q.BundleTorrentRow = { bundle_id: bundle.id, access, fingerprint: print, info: built.info, info_hash: built.infoHash, total_bytes: built.totalLength };
  await q.saveBundleTorrent(deps.db, row);
  return row;
}

/**
 * The web seed of one access level for one fan: `/bundles/seed/<bundle>/<access>/<token>/`, where the
 * client appends `<name>/<file>`. Free files need no token (`public`); locked and bonus ones carry the
 * fan's signed token, which lies outside the info dictionary: every fan's torrent has the same info hash.
 */
export function seedUrl(deps: AppDeps, bundleId: string, access: q.FileAccess, unlockId: string | undefined): string {
  const base = `${deps.config.publicUrl}/bundles/seed/${bundleId}/${access}`;
  if (access === 'free' || !unlockId) return `${base}/public/`;
  const expires = expiryFrom(deps.clock.now(), SEED_SECONDS);
  return `${base}/${unlockId}.${expires}.${sign(deps.signingSecret, { kind: 'seed', bundleId, access, unlockId }, expires)}/`;
}

/** The .torrent and magnet link of one access level for one fan (or anyone, for the free files). */
export function bundleTorrentFor(deps: AppDeps, bundle: q.BundleRow, row: q.BundleTorrentRow, unlockId: string | undefined): { torrent: Buffer; magnet: string } {
  const trackers = siteTrackers(deps.config);
  const webSeed = seedUrl(deps, bundle.id, row.access, unlockId);
  return {
    torrent: torrentFile(Buffer.from(row.info), { webSeeds: [webSeed], trackers, createdBy: 'Fanfare', comment: `${deps.config.publicUrl}/b/${bundle.slug}` }),
    magnet: magnetUri(row.info_hash, torrentName(bundle, row.access), row.total_bytes, [webSeed], trackers),
  };
}
