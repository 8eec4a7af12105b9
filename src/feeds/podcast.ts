import { podcastGuid } from './podcast-guid.js';
import { channelRssBase, entryGuid, renderRss } from './rss.js';
import type { ChannelFeed, FeedChannel, FeedEntry } from './service.js';
import { el, type XmlChild } from './xml.js';

export const ITUNES_NS = 'http://www.itunes.com/dtds/podcast-1.0.dtd';
export const PODCAST_NS = 'https://podcastindex.org/namespace/1.0';

/** HLS master playlists; the type Apple documents for `.m3u8`. */
const HLS_TYPE = 'application/x-mpegURL';
const MP4_TYPE = 'video/mp4';
const M4A_TYPE = 'audio/mp4';
const TORRENT_TYPE = 'application/x-bittorrent';

/** Which file a podcast's enclosures lead with: the video podcast or its audio variant. */
export type PodcastVariant = 'video' | 'audio';

/**
 * The episode's media. The enclosure is the progressive file the transcode made (MP4, or M4A for the
 * audio variant) with its real length, so every podcast app can download it; HLS and the torrent are
 * `podcast:alternateEnclosure`s (as PeerTube's feed does). When the creator forbids downloads there is
 * no progressive file to give: the enclosure is then the HLS master playlist with `length="0"` (unknown),
 * which Podcasting 2.0 apps stream.
 */
function media(entry: FeedEntry, variant: PodcastVariant): XmlChild[] {
  const main = variant === 'audio' ? entry.downloads.m4a : entry.downloads.mp4;
  const type = variant === 'audio' ? M4A_TYPE : MP4_TYPE;
  const torrent = variant === 'video' ? entry.downloads.torrent : undefined;
  return [
    main ? el('enclosure', { url: main.url, length: main.length, type }) : el('enclosure', { url: entry.urls.master, length: 0, type: HLS_TYPE }),
    main &&
      el(
        'podcast:alternateEnclosure',
        { type, length: main.length, height: variant === 'video' ? (entry.downloads.mp4?.height ?? undefined) : undefined, title: variant === 'audio' ? 'M4A' : 'MP4', default: 'true' },
        el('podcast:source', { uri: main.url }),
        torrent && el('podcast:source', { uri: torrent.url, contentType: TORRENT_TYPE }),
      ),
    // length 0: a playlist has no byte size, and apps (podcast-partytime among them) skip an alternate enclosure without one.
    el(
      'podcast:alternateEnclosure',
      { type: HLS_TYPE, length: 0, height: entry.height ?? undefined, title: 'HLS', default: main ? undefined : 'true' },
      el('podcast:source', { uri: entry.urls.master }),
    ),
    torrent &&
      el(
        'podcast:alternateEnclosure',
        { type: TORRENT_TYPE, length: main!.length, title: 'BitTorrent' },
        el('podcast:source', { uri: torrent.url }),
        el('podcast:source', { uri: `magnet:?xt=urn:btih:${torrent.infoHash}&ws=${encodeURIComponent(main!.url)}` }),
      ),
  ];
}

function episode(entry: FeedEntry, variant: PodcastVariant, channel: FeedChannel): XmlChild[] {
  return [
    media(entry, variant),
    entry.durationSeconds !== null && el('itunes:duration', {}, Math.round(entry.durationSeconds)),
    entry.urls.thumbnail && el('itunes:image', { href: entry.urls.thumbnail }),
    el('itunes:explicit', {}, 'false'),
    entry.captions.map((c) => el('podcast:transcript', { url: c.url, type: 'text/vtt', language: c.language, rel: 'captions' })),
    entry.urls.chapters && el('podcast:chapters', { url: entry.urls.chapters, type: 'application/json+chapters' }),
    // The video's ActivityPub object is the root post of its fediverse replies (podcast:socialInteract);
    // "disabled" (and nothing else) when the channel closed its comments, as the spec says it.
    channel.fediverseReplies
      ? el('podcast:socialInteract', { protocol: 'activitypub', uri: entry.urls.activity, accountId: channel.fediverseHandle, accountUrl: channel.urls.home, priority: 1 })
      : el('podcast:socialInteract', { protocol: 'disabled' }),
  ];
}

/**
 * `GET /c/:handle/podcast.rss`: a Podcasting 2.0 video podcast. Funding points at the channel's
 * membership page; a Lightning address, when the channel has one, receives all streamed value.
 */
export function renderChannelPodcast(feed: ChannelFeed): string {
  return renderPodcast(feed, 'video');
}

/** `GET /c/:handle/podcast-audio.rss`: the same podcast with the M4A files as enclosures, for audio-only apps. */
export function renderChannelAudioPodcast(feed: ChannelFeed): string {
  return renderPodcast(feed, 'audio');
}

function renderPodcast(feed: ChannelFeed, variant: PodcastVariant): string {
  const { channel } = feed;
  const self = variant === 'audio' ? channel.urls.podcastAudio : channel.urls.podcast;
  const entries = variant === 'audio' ? feed.entries.filter((e) => e.downloads.m4a) : feed.entries;
  return renderRss({
    ...channelRssBase(feed, self),
    namespaces: { itunes: ITUNES_NS, podcast: PODCAST_NS },
    imageUrl: channel.urls.cover,
    extra: [
      el('itunes:image', { href: channel.urls.cover }),
      el('itunes:author', {}, channel.name),
      el('itunes:explicit', {}, 'false'),
      el('itunes:type', {}, 'episodic'),
      el('podcast:guid', {}, podcastGuid(self)),
      el('podcast:medium', {}, variant === 'audio' ? 'podcast' : 'video'),
      el('podcast:locked', {}, 'no'),
      el('podcast:funding', { url: channel.urls.membership }, 'Support'),
      // Creator recommendations: one or more remote items, or no element at all.
      feed.podroll.length > 0 &&
        el(
          'podcast:podroll',
          {},
          feed.podroll.map((r) => el('podcast:remoteItem', { feedGuid: r.feedGuid, feedUrl: r.feedUrl, title: r.title, medium: 'video' })),
        ),
      channel.lightningAddress &&
        el(
          'podcast:value',
          { type: 'lightning', method: 'lnaddress' },
          el('podcast:valueRecipient', { name: channel.name, type: 'lnaddress', address: channel.lightningAddress, split: 100 }),
        ),
    ],
    items: entries.map((entry) => ({
      title: entry.title,
      link: entry.urls.watch,
      guid: entryGuid(entry),
      isPermaLink: false,
      pubDate: entry.published,
      description: entry.descriptionHtml,
      extra: episode(entry, variant, channel),
    })),
  });
}
