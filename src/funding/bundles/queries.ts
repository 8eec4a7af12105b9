/**
 * SQL of bundles: bundles, bundle_files, bundle_unlocks, bundle_torrents. Payments are written through
 * the payments part's queries (as tips do); videos and channels are read through their public APIs.
 */
import type { Queryable } from '../../core/db/index.js';

export type FileAccess = 'free' | 'locked' | 'bonus';

export interface BundleRow {
  id: string;
  channel_id: string;
  slug: string;
  title: string;
  description: string;
  cover_key: string | null;
  published: boolean;
  unlock_by_email: boolean;
  unlock_by_payment: boolean;
  currency: string;
  minimum_amount: number;
  suggested_amount: number;
  bonus_above_average: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface BundleFileRow {
  id: string;
  bundle_id: string;
  position: number;
  access: FileAccess;
  filename: string;
  content_type: string;
  storage_key: string;
  bytes: number;
  video_id: string | null;
}

export interface UnlockRow {
  id: string;
  bundle_id: string;
  method: 'email' | 'payment';
  email: string | null;
  user_id: string | null;
  locale: 'en' | 'fr';
  status: 'pending' | 'unlocked';
  consent: boolean;
  token_expires_at: Date | null;
  payment_id: string | null;
  amount: number | null;
  average_at_payment: number | null;
  bonus: boolean;
  unlocked_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from URLs: anything else is "no such row", never a database error. */
export const isUuid = (id: string) => UUID.test(id);

const BUNDLE = `id, channel_id, slug, title, description, cover_key, published, unlock_by_email, unlock_by_payment, currency,
  minimum_amount, suggested_amount, bonus_above_average, created_at, updated_at`;
const FILE = 'id, bundle_id, position, access, filename, content_type, storage_key, bytes, video_id';
const UNLOCK = `id, bundle_id, method, email, user_id, locale, status, consent, token_expires_at, payment_id, amount,
  average_at_payment, bonus, unlocked_at`;

export interface BundleFields {
  slug: string;
  title: string;
  description: string;
  published: boolean;
  unlockByEmail: boolean;
  unlockByPayment: boolean;
  currency: string;
  minimumAmount: number;
  suggestedAmount: number;
  bonusAboveAverage: boolean;
}

export async function insertBundle(db: Queryable, channelId: string, f: BundleFields): Promise<BundleRow> {
  const rows = await db.query<BundleRow>(
    `INSERT INTO bundles (channel_id, slug, title, description, published, unlock_by_email, unlock_by_payment, currency, minimum_amount, suggested_amount, bonus_above_average)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${BUNDLE}`,
    [channelId, f.slug, f.title, f.description, f.published, f.unlockByEmail, f.unlockByPayment, f.currency, f.minimumAmount, f.suggestedAmount, f.bonusAboveAverage],
  );
  return rows[0]!;
}

export async function updateBundle(db: Queryable, id: string, f: BundleFields): Promise<void> {
  await db.query(
    `UPDATE bundles SET slug = $2, title = $3, description = $4, published = $5, unlock_by_email = $6, unlock_by_payment = $7, currency = $8,
       minimum_amount = $9, suggested_amount = $10, bonus_above_average = $11, updated_at = now() WHERE id = $1`,
    [id, f.slug, f.title, f.description, f.published, f.unlockByEmail, f.unlockByPayment, f.currency, f.minimumAmount, f.suggestedAmount, f.bonusAboveAverage],
  );
}

export async function setCover(db: Queryable, id: string, key: string | null): Promise<void> {
  await db.query('UPDATE bundles SET cover_key = $2, updated_at = now() WHERE id = $1', [id, key]);
}

export async function findBundle(db: Queryable, id: string): Promise<BundleRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await db.query<BundleRow>(`SELECT ${BUNDLE} FROM bundles WHERE id = $1`, [id]))[0];
}

export async function findBundleBySlug(db: Queryable, slug: string): Promise<BundleRow | undefined> {
  return (await db.query<BundleRow>(`SELECT ${BUNDLE} FROM bundles WHERE slug = $1`, [slug.toLowerCase()]))[0];
}

export async function listChannelBundles(db: Queryable, channelId: string, publishedOnly: boolean): Promise<BundleRow[]> {
  return db.query<BundleRow>(`SELECT ${BUNDLE} FROM bundles WHERE channel_id = $1 ${publishedOnly ? 'AND published' : ''} ORDER BY created_at DESC LIMIT 200`, [channelId]);
}

export async function listFiles(db: Queryable, bundleId: string): Promise<BundleFileRow[]> {
  return db.query<BundleFileRow>(`SELECT ${FILE} FROM bundle_files WHERE bundle_id = $1 ORDER BY position, created_at`, [bundleId]);
}

export async function findFile(db: Queryable, id: string): Promise<BundleFileRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await db.query<BundleFileRow>(`SELECT ${FILE} FROM bundle_files WHERE id = $1`, [id]))[0];
}

export async function insertFile(db: Queryable, f: Omit<BundleFileRow, 'id' | 'position'>): Promise<BundleFileRow> {
  const rows = await db.query<BundleFileRow>(
    `INSERT INTO bundle_files (bundle_id, position, access, filename, content_type, storage_key, bytes, video_id)
     VALUES ($1, (SELECT COALESCE(max(position), 0) + 1 FROM bundle_files WHERE bundle_id = $1), $2, $3, $4, $5, $6, $7) RETURNING ${FILE}`,
    [f.bundle_id, f.access, f.filename, f.content_type, f.storage_key, f.bytes, f.video_id],
  );
  return rows[0]!;
}

export async function updateFile(db: Queryable, id: string, access: FileAccess, position: number): Promise<void> {
  await db.query('UPDATE bundle_files SET access = $2, position = $3 WHERE id = $1', [id, access, position]);
}

export async function deleteFile(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM bundle_files WHERE id = $1', [id]);
}

export async function insertUnlock(
  db: Queryable,
  u: { bundleId: string; method: 'email' | 'payment'; email: string | null; userId: string | null; locale: string; consent: boolean; tokenHash: string | null; tokenExpiresAt: Date | null; paymentId: string | null; amount: number | null },
): Promise<UnlockRow> {
  const rows = await db.query<UnlockRow>(
    `INSERT INTO bundle_unlocks (bundle_id, method, email, user_id, locale, consent, token_hash, token_expires_at, payment_id, amount)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${UNLOCK}`,
    [u.bundleId, u.method, u.email, u.userId, u.locale, u.consent, u.tokenHash, u.tokenExpiresAt, u.paymentId, u.amount],
  );
  return rows[0]!;
}

export async function findUnlock(db: Queryable, id: string): Promise<UnlockRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await db.query<UnlockRow>(`SELECT ${UNLOCK} FROM bundle_unlocks WHERE id = $1`, [id]))[0];
}

export async function findUnlockByToken(db: Queryable, tokenHash: string): Promise<UnlockRow | undefined> {
  return (await db.query<UnlockRow>(`SELECT ${UNLOCK} FROM bundle_unlocks WHERE token_hash = $1`, [tokenHash]))[0];
}

export async function findUnlockByPayment(db: Queryable, paymentId: string): Promise<UnlockRow | undefined> {
  return (await db.query<UnlockRow>(`SELECT ${UNLOCK} FROM bundle_unlocks WHERE payment_id = $1 FOR UPDATE`, [paymentId]))[0];
}

/** Marks an e-mail unlock confirmed; false when it was already (a reused link). */
export async function confirmEmailUnlock(db: Queryable, id: string, now: Date): Promise<boolean> {
  const rows = await db.query(`UPDATE bundle_unlocks SET status = 'unlocked', unlocked_at = $2 WHERE id = $1 AND status = 'pending' RETURNING id`, [id, now]);
  return rows.length === 1;
}

export async function markPaidUnlock(db: Queryable, id: string, now: Date, averageAtPayment: number, bonus: boolean): Promise<void> {
  await db.query(`UPDATE bundle_unlocks SET status = 'unlocked', unlocked_at = $2, average_at_payment = $3, bonus = $4 WHERE id = $1`, [id, now, averageAtPayment, bonus]);
}

/**
 * The running public average of what fans paid for a bundle (successful payments only), in minor units,
 * rounded down; 0 before the first payment. Read inside the payment's transaction, so the threshold is
 * the average at the moment of that payment.
 */
export async function averagePaid(db: Queryable, bundleId: string): Promise<{ average: number; count: number }> {
  const rows = await db.query<{ total: number | null; n: number }>(
    `SELECT sum(amount)::bigint AS total, count(*)::int AS n FROM bundle_unlocks WHERE bundle_id = $1 AND method = 'payment' AND status = 'unlocked'`,
    [bundleId],
  );
  const { total, n } = rows[0]!;
  return { average: n > 0 ? Math.floor(Number(total) / n) : 0, count: n };
}

/** Everything a signed-in fan unlocked: by their account or by their (verified) e-mail address. */
export async function listUnlocksOf(db: Queryable, userId: string, email: string): Promise<(UnlockRow & { slug: string; title: string })[]> {
  return db.query(
    `SELECT ${UNLOCK.split(', ').map((c) => `u.${c.trim()}`).join(', ')}, b.slug, b.title FROM bundle_unlocks u JOIN bundles b ON b.id = u.bundle_id
      WHERE u.status = 'unlocked' AND (u.user_id = $1 OR lower(u.email) = lower($2)) ORDER BY u.unlocked_at DESC LIMIT 500`,
    [userId, email],
  );
}

export interface BundleTorrentRow {
  bundle_id: string;
  access: FileAccess;
  fingerprint: string;
  info: Uint8Array;
  info_hash: string;
  total_bytes: number;
}

export async function findBundleTorrent(db: Queryable, bundleId: string, access: FileAccess): Promise<BundleTorrentRow | undefined> {
  return (await db.query<BundleTorrentRow>('SELECT bundle_id, access, fingerprint, info, info_hash, total_bytes FROM bundle_torrents WHERE bundle_id = $1 AND access = $2', [bundleId, access]))[0];
}

export async function saveBundleTorrent(db: Queryable, row: BundleTorrentRow): Promise<void> {
  await db.query(
    `INSERT INTO bundle_torrents (bundle_id, access, fingerprint, info, info_hash, total_bytes) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (bundle_id, access) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, info = EXCLUDED.info, info_hash = EXCLUDED.info_hash,
       total_bytes = EXCLUDED.total_bytes, built_at = now()`,
    [row.bundle_id, row.access, row.fingerprint, row.info, row.info_hash, row.total_bytes],
  );
}

/** The channel's currency (set in its funding settings, as tips read it): new bundles are priced in it. */
export async function channelCurrency(db: Queryable, channelId: string): Promise<string> {
  return (await db.query<{ currency: string }>('SELECT currency FROM channels WHERE id = $1', [channelId]))[0]?.currency ?? 'EUR';
}

export async function bundleTorrentExists(db: Queryable, infoHash: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM bundle_torrents WHERE info_hash = $1', [infoHash])).length > 0;
}
