import { mediaPath, type CaptionRow, type VideoWithChannel } from '../videos/index.js';
import { paymentLinks } from './actors.js';
import { videoIcons } from './video-icons.js';

export const AS_PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

/**
 * PeerTube's JSON-LD context for videos: its non-standard fields live under `https://joinpeertube.org/ns#`
 * (pt:) or schema.org (sc:). PeerTube and Mastodon read the short names; other JSON-LD processors
 * (Fedify) expand them with this context.
 */
export const PEERTUBE_VIDEO_CONTEXT = {
  pt: 'https://joinpeertube.org/ns#',
  sc: 'http://schema.org/',
  Hashtag: 'as:Hashtag',
  category: 'sc:category',
  licence: 'sc:license',
  subtitleLanguage: 'sc:subtitleLanguage',
  sensitive: 'as:sensitive',
  language: 'sc:inLanguage',
  identifier: 'sc:identifier',
  isLiveBroadcast: 'sc:isLiveBroadcast',
  liveSaveReplay: { '@type': 'sc:Boolean', '@id': 'pt:liveSaveReplay' },
  permanentLive: { '@type': 'sc:Boolean', '@id': 'pt:permanentLive' },
  latencyMode: { '@type': 'sc:Number', '@id': 'pt:latencyMode' },
  Infohash: 'pt:Infohash',
  aspectRatio: { '@type': 'sc:Float', '@id': 'pt:aspectRatio' },
  uuid: { '@type': 'sc:identifier', '@id': 'pt:uuid' },
  originallyPublishedAt: 'sc:datePublished',
  uploadDate: 'sc:uploadDate',
  hasParts: 'sc:hasParts',
  tileWidth: { '@type': 'sc:Number', '@id': 'pt:tileWidth' },
  tileHeight: { '@type': 'sc:Number', '@id': 'pt:tileHeight' },
  tileDuration: { '@type': 'sc:Number', '@id': 'pt:tileDuration' },
  views: { '@type': 'sc:Number', '@id': 'pt:views' },
  state: { '@type': 'sc:Number', '@id': 'pt:state' },
  size: { '@type': 'sc:Number', '@id': 'pt:size' },
  fps: { '@type': 'sc:Number', '@id': 'pt:fps' },
  commentsEnabled: { '@type': 'sc:Boolean', '@id': 'pt:commentsEnabled' },
  canReply: 'pt:canReply',
  commentsPolicy: { '@type': 'sc:Number', '@id': 'pt:commentsPolicy' },
  downloadEnabled: { '@type': 'sc:Boolean', '@id': 'pt:downloadEnabled' },
  waitTranscoding: { '@type': 'sc:Boolean', '@id': 'pt:waitTranscoding' },
  support: { '@type': 'sc:Text', '@id': 'pt:support' },
  likes: { '@id': 'as:likes', '@type': '@id' },
  dislikes: { '@id': 'as:dislikes', '@type': '@id' },
  shares: { '@id': 'as:shares', '@type': '@id' },
  comments: { '@id': 'as:comments', '@type': '@id' },
} as const;

/** The `@context` of every video object and video activity we send. */
export const VIDEO_JSONLD_CONTEXT = [
  'https://www.w3.org/ns/activitystreams',
  'https://w3id.org/security/v1',
  { RsaSignature2017: 'https://w3id.org/security#RsaSignature2017' },
  PEERTUBE_VIDEO_CONTEXT,
] as const;

/** PeerTube's licence numbers; "all rights reserved" has none, so the field is left out. */
const PEERTUBE_LICENCES: Record<string, { identifier: string; name: string }> = {
  cc_by: { identifier: '1', name: 'Attribution' },
  cc_by_sa: { identifier: '2', name: 'Attribution - Share Alike' },
  cc_by_nd: { identifier: '3', name: 'Attribution - No Derivatives' },
  cc_by_nc: { identifier: '4', name: 'Attribution - Non Commercial' },
  cc_by_nc_sa: { identifier: '5', name: 'Attribution - Non Commercial - Share Alike' },
  cc_by_nc_nd: { identifier: '6', name: 'Attribution - Non Commercial - No Derivatives' },
  cc0: { identifier: '7', name: 'Public Domain Dedication' },
};

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'French' };

/** PeerTube's video states and comment policies (numbers on the wire). */
const STATE_PUBLISHED = 1;
const COMMENTS_DISABLED = 2;
const COMMENTS_REQUIRE_APPROVAL = 3;

/** Where the URLs of a video's object point. */
export interface VideoObjectUrls {
  /** Site origin, e.g. https://videos.example (PUBLIC_URL). */
  base: string;
  channelActor: string;
  channelFollowers: string;
  ownerActor: string;
}

/** The id of a local video's object: `/ap/videos/{shortId}`. */
export function videoObjectUri(base: string, shortId: string): string {
  return `${base}/ap/videos/${shortId}`;
}

/** `PT123S`: PeerTube wants whole seconds. */
export function isoDuration(seconds: number | null): string {
  return `PT${Math.max(0, Math.round(seconds ?? 0))}S`;
}

/** Code points, as PeerTube's validator counts a title's length. */
const length = (text: string) => Array.from(text).length;

/**
 * The title as PeerTube accepts it: isVideoNameValid (custom-validators/videos.ts, CONSTRAINTS_FIELDS
 * .VIDEOS.NAME) wants 3 to 120 characters and drops the video otherwise, while Fanfare allows 1 to 200.
 * A longer title is cut at 119 characters plus "…"; a shorter one is followed by the channel's name
 * ("Hi · Camille"), which reads as a title still.
 */
export function peerTubeName(title: string, channelName: string): string {
  const trimmed = title.trim();
  let name = length(trimmed) >= 3 ? trimmed : `${trimmed} · ${channelName}`;
  while (length(name) < 3) name += '.';
  return length(name) > 120 ? `${Array.from(name).slice(0, 119).join('')}…` : name;
}

/**
 * The description as PeerTube accepts it: sanitizeAndCheckVideoTorrentObject (activitypub/videos.ts) cuts
 * `content` to 10,000 characters (setRemoteVideoContent), then drops the whole Create/Update when `content`
 * exists (not null) but is shorter than 3 characters or its `mediaType` is neither text/markdown nor
 * text/html (isRemoteVideoContentValid, isVideoDescriptionValid with CONSTRAINTS_FIELDS.VIDEOS.DESCRIPTION).
 * So a shorter description is left out with its `mediaType`; a longer one is cut here already, with "…".
 */
export function peerTubeContent(description: string): Record<string, unknown> {
  const text = description.trim();
  if (length(text) < 3) return {};
  return { mediaType: 'text/markdown', content: length(text) > 10_000 ? `${Array.from(text).slice(0, 9_999).join('')}…` : text };
}

function playlistLinks(video: VideoWithChannel, abs: (p: string) => string): unknown[] {
  if (!video.hls_prefix) return [];
  const tag = video.renditions.map((r) =>
    r.kind === 'video'
      ? { type: 'Link', rel: ['video'], mediaType: 'application/x-mpegURL', href: abs(mediaPath(video, `${r.name}/index.m3u8`)), height: r.height, width: r.width, bandwidth: r.bandwidth, codecs: r.codecs }
      : { type: 'Link', rel: ['audio'], mediaType: 'application/x-mpegURL', href: abs(mediaPath(video, `${r.name}/index.m3u8`)), bandwidth: r.bandwidth, codecs: r.codecs },
  );
  return [{ type: 'Link', mediaType: 'application/x-mpegURL', href: abs(mediaPath(video, 'master.m3u8')), tag }];
}

/**
 * A local video as a PeerTube-shaped ActivityPub `Video` (the shape PeerTube and Mastodon read): the watch
 * page first in `url` (Mastodon shows it as a link with a preview), then the HLS master with one `tag`
 * link per rendition. Only called for videos listed to the public: nothing here checks visibility.
 */
export function buildVideoObject(video: VideoWithChannel, captions: CaptionRow[], urls: VideoObjectUrls, options: { commentsClosed?: boolean } = {}): Record<string, unknown> {
  const abs = (p: string) => `${urls.base}${p}`;
  const published = (video.publish_at && video.publish_at > video.created_at ? video.publish_at : video.created_at).toISOString();
  const licence = PEERTUBE_LICENCES[video.licence];
  const id = videoObjectUri(urls.base, video.short_id);
  return {
    type: 'Video',
    id,
    name: peerTubeName(video.title, video.channel_name),
    duration: isoDuration(video.duration_seconds),
    uuid: video.id,
    tag: video.tags.map((name) => ({ type: 'Hashtag', name })),
    ...(licence ? { licence } : {}),
    ...(video.language ? { language: { identifier: video.language, name: LANGUAGE_NAMES[video.language] ?? video.language } } : {}),
    views: 0,
    sensitive: false,
    waitTranscoding: false,
    state: STATE_PUBLISHED,
    // PeerTube's comment policy: replies from the fediverse always wait for the team's approval (answered
    // by ApproveReply / RejectReply, replies.ts), unless the channel closed its comments.
    commentsEnabled: !options.commentsClosed,
    canReply: null,
    commentsPolicy: options.commentsClosed ? COMMENTS_DISABLED : COMMENTS_REQUIRE_APPROVAL,
    downloadEnabled: false,
    published,
    originallyPublishedAt: null,
    uploadDate: video.created_at.toISOString(),
    updated: video.updated_at.toISOString(),
    ...peerTubeContent(video.description),
    support: `Support ${video.channel_name}: ${abs(`/c/${video.channel_handle}/membership`)}`,
    subtitleLanguage: captions.map((c) => ({ identifier: c.language, name: c.label, url: abs(mediaPath(video, `captions/${c.language}.vtt`)) })),
    icon: videoIcons(video, urls.base),
    ...(video.width && video.height ? { aspectRatio: Math.round((video.width / video.height) * 10000) / 10000 } : {}),
    url: [{ type: 'Link', mediaType: 'text/html', href: abs(`/v/${video.short_id}`) }, ...playlistLinks(video, abs)],
    likes: `${id}/likes`,
    dislikes: `${id}/dislikes`,
    shares: `${id}/shares`,
    comments: `${id}/comments`,
    hasParts: `${id}/chapters`,
    attributedTo: [
      { type: 'Group', id: urls.channelActor },
      { type: 'Person', id: urls.ownerActor },
    ],
    // FEP-1b12: group-aware software files the video under its channel.
    audience: urls.channelActor,
    // FEP-0ea0 payment links; PeerTube reads `support` above.
    attachment: paymentLinks(urls.base, video.channel_handle),
    to: [AS_PUBLIC],
    cc: [urls.channelFollowers],
    isLiveBroadcast: false,
    liveSaveReplay: null,
    permanentLive: null,
    latencyMode: null,
  };
}

/** The object as served at its id: the video with its context. */
export function videoDocument(object: Record<string, unknown>): Record<string, unknown> {
  return { '@context': VIDEO_JSONLD_CONTEXT, ...object };
}

/**
 * Create, Update or Delete of a local video, addressed like the video. Create and Update come from the
 * channel; a Delete from the owner's Person: PeerTube's process-delete.ts accepts a video's Delete only from
 * the account owning its channel ("Account … does not own video channel") and ignores one from the channel.
 */
export function videoActivity(
  kind: 'Create' | 'Update' | 'Delete',
  id: string,
  urls: Pick<VideoObjectUrls, 'channelActor' | 'channelFollowers' | 'ownerActor'>,
  object: Record<string, unknown>,
  at: Date,
): Record<string, unknown> {
  return {
    '@context': VIDEO_JSONLD_CONTEXT,
    id,
    type: kind,
    actor: kind === 'Delete' ? urls.ownerActor : urls.channelActor,
    published: at.toISOString(),
    to: [AS_PUBLIC],
    cc: [urls.channelFollowers],
    object,
  };
}

/**
 * The instance actor's Announce of a local video, as PeerTube's server actor shares each of its videos
 * (shareByServerIfNeeded in lib/activitypub/share.ts, sent by send-announce.ts): the id is the video's URL
 * plus `/announces/…` (getLocalVideoAnnounceActivityPubUrl, url.ts), the object the video's URL, addressed
 * to the public and the followers of those involved (getAudienceFromFollowersOf). A PeerTube server that
 * follows this site takes it from an Application or a Group only (process-announce.ts) and fetches the video.
 */
export function instanceAnnounce(objectUri: string, instance: { actor: string; followers: string }, at: Date, cc: string[] = []): Record<string, unknown> {
  return {
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: `${objectUri}/announces/instance`,
    type: 'Announce',
    actor: instance.actor,
    published: at.toISOString(),
    to: [AS_PUBLIC, instance.followers],
    cc,
    object: objectUri,
  };
}

/** What a Delete carries: a tombstone of the video's object. */
export function videoTombstone(objectUri: string, at: Date): Record<string, unknown> {
  return { type: 'Tombstone', id: objectUri, formerType: 'Video', deleted: at.toISOString() };
}

/** PeerTube's context for a video's chapters (`hasParts`). */
export const CHAPTERS_CONTEXT = [
  'https://www.w3.org/ns/activitystreams',
  { pt: 'https://joinpeertube.org/ns#', sc: 'http://schema.org/', name: 'sc:name', hasPart: 'sc:hasPart', endOffset: 'sc:endOffset', startOffset: 'sc:startOffset' },
] as const;

/** The chapters document: each chapter ends where the next starts, the last one at the video's end. */
export function chaptersDocument(objectUri: string, chapters: { start: number; title: string }[], durationSeconds: number | null): Record<string, unknown> {
  return {
    '@context': CHAPTERS_CONTEXT,
    id: `${objectUri}/chapters`,
    hasPart: chapters.map((c, i) => ({
      name: c.title,
      startOffset: Math.floor(c.start),
      endOffset: Math.floor(chapters[i + 1]?.start ?? durationSeconds ?? c.start),
    })),
  };
}

/** A count-only collection (likes, shares, comments): PeerTube reads `totalItems`. */
export function countCollection(id: string, totalItems: number): Record<string, unknown> {
  return { '@context': 'https://www.w3.org/ns/activitystreams', id, type: 'OrderedCollection', totalItems };
}
