import type { AppDeps } from '../core/deps.js';
import type { CurrentUser } from '../core/http/context.js';
import { NotFoundError } from '../core/http/errors.js';
import { listVideoTorrents, videoTorrentPath } from '../downloads/index.js';
import { canWatch, findVideoByShortId, isPubliclyCacheable, listPublicVideos, mediaPath, renderMarkdown, thumbnailPath, type Rendition, type VideoRow, type ViewerLookup } from '../videos/index.js';
import { videoObjectUri } from '../federation/index.js';
import { listRecommendations } from '../federation/recommendations/index.js';
import { DEFAULT_COVER_PATH } from './cover.js';
import { podcastGuid } from './podcast-guid.js';
import * as q from './queries.js';
import { FEED_LIMIT } from './rss.js';

export { renderRss, type RssDocument, type RssItem } from './rss.js';

export { FEED_LIMIT } from './rss.js';

/** The channel as every feed format shows it; text is the channel's own, in its own language. */
export interface FeedChannel {
  id: string;
  handle: string;
  name: string;
  description: string;
  /** The description rendered from Markdown and sanitised, as on the channel's pages. */
  descriptionHtml: string;
  language: string;
  lightningAddress: string | null;
  /** The channel's fediverse handle, `@handle@host` (its Group actor). */
  fediverseHandle: string;
  /** False when the channel closed its comments: its videos take no replies from the fediverse either. */
  fediverseReplies: boolean;
  /** Absolute URLs. `avatar` is the channel's picture if it has one; `cover` falls back to the default artwork. */
  urls: { home: string; rss: string; atom: string; podcast: string; podcastAudio: string; membership: string; avatar?: string; cover: string };
}

/** One public video in a feed. All URLs are absolute. */
export interface FeedEntry {
  id: string;
  shortId: string;
  title: string;
  /** The description rendered from Markdown and sanitised, as on the watch page. */
  descriptionHtml: string;
  published: Date;
  updated: Date;
  durationSeconds: number | null;
  /** Height of the tallest video rendition, if any. */
  height: number | null;
  captions: { language: string; label: string; url: string }[];
  /** `activity` is the video's ActivityPub object, the root of its fediverse replies (podcast:socialInteract). */
  urls: { watch: string; master: string; activity: string; thumbnail?: string; chapters?: string };
  /** The progressive files and the torrent, when the creator allows downloads (absolute URLs, real sizes). */
  downloads: {
    mp4?: { url: string; length: number; height: number | null };
    m4a?: { url: string; length: number };
    torrent?: { url: string; infoHash: string };
  };
}

/** Another channel's podcast this channel recommends (a `podcast:remoteItem` of its podroll). */
export interface PodrollEntry {
  feedGuid: string;
  feedUrl: string;
  title?: string;
}

/** A public text of the channel (a post) that the RSS and Atom feeds list beside its videos. */
export interface FeedArticle {
  id: string;
  title: string;
  /** Absolute URL of its page. */
  url: string;
  /** Sanitized HTML. */
  html: string;
  published: Date;
  updated: Date;
}

/** Gives a channel's public articles, newest first (at most `limit`); members-only ones never. */
export type FeedArticleSource = (channelId: string, limit: number) => Promise<FeedArticle[]>;

/** Everything the three public feeds of a channel are rendered from. */
export interface ChannelFeed {
  channel: FeedChannel;
  /** The channels whose videos this channel recommends, when their podcast feed is known; in the shelf's order. */
  podroll: PodrollEntry[];
  /** Newest first. Only ready, public videos whose publish time has passed. */
  entries: FeedEntry[];
  /** Newest first: the channel's public posts (RSS and Atom list them; the podcast feeds do not). */
  articles: FeedArticle[];
  /** The latest change we know of (channel settings, a video, a caption); the feeds' Last-Modified. */
  lastModified: Date;
}

const HANDLE = /^[a-z0-9_]{2,30}$/i;

/** What the feeds learn from other capabilities. */
export interface FeedOptions {
  /** Whether a channel closed its comments (the community capability's policy, through federation). */
  commentsClosed?: (channelId: string) => Promise<boolean>;
  /** Where the channel's public posts come from (the `feeds.channel-articles` slot). */
  articles?: FeedArticleSource[];
}

/** The URL of a video's JSON chapters, also used by the route that serves them. */
export function chaptersPath(handle: string, shortId: string): string {
  return `/c/${handle}/videos/${shortId}/chapters.json`;
}

function feedChannel(row: q.FeedChannelRow, base: string, fediverseReplies: boolean): FeedChannel {
  const home = `${base}/c/${row.handle}`;
  const avatar = row.avatar_key ? `${base}/media/${row.avatar_key}` : undefined;
  return {
    id: row.id,
    handle: row.handle,
    name: row.name,
    description: row.description,
    descriptionHtml: row.description ? renderMarkdown(row.description) : '',
    language: row.language,
    lightningAddress: row.lightning_address,
    fediverseHandle: `@${row.handle}@${new URL(base).host}`,
    fediverseReplies,
    urls: {
      home,
      rss: `${home}/feed.rss`,
      atom: `${home}/feed.atom`,
      podcast: `${home}/podcast.rss`,
      podcastAudio: `${home}/podcast-audio.rss`,
      membership: `${home}/membership`,
      avatar,
      cover: avatar ?? `${base}${DEFAULT_COVER_PATH}`,
    },
  };
}

function feedDownloads(base: string, v: VideoRow, infoHash: string | undefined): FeedEntry['downloads'] {
  if (!v.downloads_allowed) return {};
  return {
    mp4: v.download_file && v.download_bytes ? { url: base + mediaPath(v, v.download_file), length: v.download_bytes, height: v.height === null ? null : Math.min(v.height, v.download_height) } : undefined,
    m4a: v.audio_file && v.audio_bytes ? { url: base + mediaPath(v, v.audio_file), length: v.audio_bytes } : undefined,
    torrent: infoHash ? { url: base + videoTorrentPath(v), infoHash } : undefined,
  };
}

function tallest(renditions: Rendition[]): number | null {
  const heights = renditions.filter((r) => r.kind === 'video' && r.height).map((r) => r.height!);
  return heights.length ? Math.max(...heights) : null;
}

/**
 * The public feed of a channel: its newest listed videos (the same rule as the channel page, so a
 * members-only, unlisted, draft, scheduled or failed video never appears) with their captions.
 * Throws NotFoundError for an unknown channel.
 */
export async function loadChannelFeed(deps: AppDeps, handle: string, options: FeedOptions = {}): Promise<ChannelFeed> {
  const row = HANDLE.test(handle) ? await q.findFeedChannel(deps.db, handle.toLowerCase()) : undefined;
  if (!row) throw new NotFoundError('channel.not_found');
  const base = deps.config.publicUrl;
  const channel = feedChannel(row, base, !(await options.commentsClosed?.(row.id)));
  const { rows: videos } = await listPublicVideos(deps.db, row.id, deps.clock.now(), FEED_LIMIT, 0);
  const captions = await q.listCaptionsOf(deps.db, videos.map((v) => v.id));
  const torrents = new Map((await listVideoTorrents(deps.db, videos.map((v) => v.id))).map((t) => [t.video_id, t.info_hash]));
  let lastModified = row.updated_at;
  const later = (d: Date) => {
    if (d > lastModified) lastModified = d;
  };
  captions.forEach((c) => later(c.created_at));
  const entries = videos.map((v): FeedEntry => {
    const published = v.publish_at ?? v.created_at;
    const updated = v.updated_at > published ? v.updated_at : published;
    later(updated);
    const thumbnail = thumbnailPath(v);
    return {
      id: v.id,
      shortId: v.short_id,
      title: v.title,
      descriptionHtml: renderMarkdown(v.description),
      published,
      updated,
      durationSeconds: v.duration_seconds,
      height: tallest(v.renditions ?? []),
      captions: captions
        .filter((c) => c.video_id === v.id)
        .map((c) => ({ language: c.language, label: c.label, url: base + mediaPath(v, `captions/${c.language}.vtt`) })),
      urls: {
        watch: `${base}/v/${v.short_id}`,
        master: base + mediaPath(v, 'master.m3u8'),
        activity: videoObjectUri(base, v.short_id),
        thumbnail: thumbnail ? base + thumbnail : undefined,
        chapters: v.chapters?.length ? base + chaptersPath(row.handle, v.short_id) : undefined,
      },
      downloads: feedDownloads(base, v, torrents.get(v.id)),
    };
  });
  const articles = (await Promise.all((options.articles ?? []).map((source) => source(row.id, FEED_LIMIT)))).flat().sort((a, b) => b.published.getTime() - a.published.getTime());
  articles.forEach((a) => later(a.updated));
  const podroll = await loadPodroll(deps, row.id, channel.urls.podcast);
  if (podroll.changed) later(podroll.changed);
  return { channel, podroll: podroll.entries, entries, articles, lastModified };
}

/** A Fanfare channel's actor (`/ap/c/{handle}`): its podcast feed is at a known address. */
const FANFARE_CHANNEL_ACTOR = /^(https?:\/\/[^/?#]+)\/ap\/c\/([a-z0-9_]{2,30})$/;

/**
 * The podroll (Podcasting 2.0's creator recommendations, https://podcastindex.org/namespace/1.0#podroll):
 * the channels behind the videos this channel recommends, each once. A remote item needs the feed's
 * `podcast:guid`; it is known only for channels on Fanfare sites (recommended from their ActivityPub object,
 * attributed to `/ap/c/{handle}`), whose podcast is `/c/{handle}/podcast.rss` with the GUID derived from
 * that URL as ours is. Other sites' channels (a PeerTube channel's feed needs its numeric id) are left out.
 */
async function loadPodroll(deps: AppDeps, channelId: string, ownFeed: string): Promise<{ entries: PodrollEntry[]; changed?: Date }> {
  const entries = new Map<string, PodrollEntry>();
  let changed: Date | undefined;
  for (const r of await listRecommendations(deps.db, channelId, 200)) {
    // A recommendation added since a reader's copy changes the feed (its Last-Modified).
    if (!changed || r.created_at > changed) changed = r.created_at;
    const actor = r.object_actor ? FANFARE_CHANNEL_ACTOR.exec(r.object_actor) : null;
    if (!actor) continue;
    const feedUrl = `${actor[1]}/c/${actor[2]}/podcast.rss`;
    if (feedUrl === ownFeed || entries.has(feedUrl)) continue;
    entries.set(feedUrl, { feedGuid: podcastGuid(feedUrl), feedUrl, ...(r.author_name ? { title: r.author_name } : {}) });
  }
  return { entries: [...entries.values()], changed };
}

/** A video's chapters in the JSON Chapters format 1.2.0 (Podcasting 2.0). */
export interface JsonChapters {
  version: '1.2.0';
  title: string;
  podcastName: string;
  chapters: { startTime: number; title: string }[];
}

/**
 * The chapters of a video of this channel that the visitor may watch (anyone, for a public video),
 * and whether shared caches may keep them. Throws NotFoundError otherwise, as the watch page does.
 */
export async function loadChapters(deps: AppDeps, viewerFor: ViewerLookup, user: CurrentUser | null, handle: string, shortId: string): Promise<{ chapters: JsonChapters; isPublic: boolean; updated: Date }> {
  const video = HANDLE.test(handle) ? await findVideoByShortId(deps.db, shortId) : undefined;
  if (!video || video.channel_handle !== handle.toLowerCase()) throw new NotFoundError('video.not_found');
  const now = deps.clock.now();
  if (!canWatch(video, await viewerFor(deps.db, user, video.channel_id, now, video.id), now)) throw new NotFoundError('video.not_found');
  return {
    chapters: {
      version: '1.2.0',
      title: video.title,
      podcastName: video.channel_name,
      chapters: (video.chapters ?? []).map((c) => ({ startTime: c.start, title: c.title })),
    },
    isPublic: isPubliclyCacheable(video, now),
    updated: video.updated_at,
  };
}
