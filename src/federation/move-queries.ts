/** The tables of moves (031_moving.sql): aliases (`alsoKnownAs`) and moves (`movedTo`). */
import type { Queryable } from '../core/db/index.js';

export interface MoveRow {
  channel_id: string;
  target_actor_uri: string;
  target_page_url: string;
  move_activity_uri: string;
  moved_at: Date;
}

export async function listAliases(db: Queryable, channelId: string): Promise<string[]> {
  const rows = await db.query<{ actor_uri: string }>('SELECT actor_uri FROM federation_actor_aliases WHERE channel_id = $1 ORDER BY created_at, actor_uri', [channelId]);
  return rows.map((r) => r.actor_uri);
}

/** Records that a channel came from `actorUri` (its `alsoKnownAs`); recording it again changes nothing. */
export async function insertAlias(db: Queryable, channelId: string, actorUri: string, now: Date): Promise<void> {
  await db.query('INSERT INTO federation_actor_aliases (channel_id, actor_uri, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [channelId, actorUri, now]);
}

export async function findMove(db: Queryable, channelId: string): Promise<MoveRow | undefined> {
  return (await db.query<MoveRow>('SELECT * FROM federation_moves WHERE channel_id = $1', [channelId]))[0];
}

/** Whether any channel of this site moved away. */
export async function siteHasMoves(db: Queryable): Promise<boolean> {
  return (await db.query('SELECT 1 FROM federation_moves LIMIT 1')).length > 0;
}

/** The move of the channel with this handle, if it moved. */
export async function findMoveByHandle(db: Queryable, handle: string): Promise<MoveRow | undefined> {
  return (await db.query<MoveRow>('SELECT m.* FROM federation_moves m JOIN channels c ON c.id = m.channel_id WHERE c.handle = $1', [handle]))[0];
}

/** The move of the channel a video (by short id) belongs to, if that channel moved. */
export async function findMoveOfVideo(db: Queryable, shortId: string): Promise<MoveRow | undefined> {
  return (await db.query<MoveRow>('SELECT m.* FROM federation_moves m JOIN videos v ON v.channel_id = m.channel_id WHERE v.short_id = $1', [shortId]))[0];
}

/** What a channel's Group says about moves: `alsoKnownAs` and `movedTo` (actors.ts). */
export async function actorMoveFields(db: Queryable, channelId: string): Promise<{ aliases: URL[]; successor: URL | null }> {
  const [aliases, move] = await Promise.all([listAliases(db, channelId), findMove(db, channelId)]);
  return { aliases: aliases.map((a) => new URL(a)), successor: move ? new URL(move.target_actor_uri) : null };
}

export async function removeChannelAlias(db: Queryable, channelId: string, actorUri: string): Promise<void> {
  await db.query('DELETE FROM federation_actor_aliases WHERE channel_id = $1 AND actor_uri = $2', [channelId, actorUri]);
}

/** Cancels a move: `movedTo` and the redirects go (followers already told stay with the new channel). */
export async function cancelMove(db: Queryable, channelId: string): Promise<void> {
  await db.query('DELETE FROM federation_moves WHERE channel_id = $1', [channelId]);
}
