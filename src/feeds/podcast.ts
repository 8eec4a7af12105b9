import { podcastGuid } from './podcast-guid.js';
import { channelRssBase, entryGuid, renderRss } from './rss.js';
import type { ChannelFeed, FeedEntry } from './service.js';
import { el, type XmlChild } from './xml.js';

export const ITUNES_NS = 'http://www.itunes.com/dtds/podcast-1.0.dtd';
export const PODCAST_NS = 'https://podcastindex.org/namespace/1.0';

/** HLS master playlists; the type Apple documents for `.m3u8`. */
const HLS_TYPE = 'application/x-mpegURL';

/**
 * The episode's media. Transcoding produces fMP4 HLS only (video renditions without audio, plus a
 * separate audio group), so there is no single progressive file to offer: the enclosure points at the
 * HLS master playlist, which Podcasting 2.0 apps and Apple Podcasts can stream but most apps cannot
 * download for offline listening. A progressive MP4 rendition made at transcode time (so the enclosure
 * can be `video/mp4` with a real `length`) is left for later; remuxing per request would cost a full
 * ffmpeg run per download. `length` is 0, meaning unknown, as a playlist has no byte size.
 */
function media(entry: FeedEntry): XmlChild[] {
  return [
    el('enclosure', { url: entry.urls.master, length: 0, type: HLS_TYPE }),
    // length 0 again: apps (podcast-partytime among them) skip an alternate enclosure without one.
    el(
      'podcast:alternateEnclosure',
      { type: HLS_TYPE, length: 0, height: entry.height ?? undefined, title: 'HLS', default: 'true' },
      el('podcast:source', { uri: entry.urls.master }),
    ),
  ];
}

function episode(entry: FeedEntry): XmlChild[] {
  return [
    media(entry),
    entry.durationSeconds !== null && el('itunes:duration', {}, Math.round(entry.durationSeconds)),
    entry.urls.thumbnail && el('itunes:image', { href: entry.urls.thumbnail }),
    el('itunes:explicit', {}, 'false'),
    entry.captions.map((c) => el('podcast:transcript', { url: c.url, type: 'text/vtt', language: c.language, rel: 'captions' })),
    entry.urls.chapters && el('podcast:chapters', { url: entry.urls.chapters, type: 'application/json+chapters' }),
  ];
}

/**
 * `GET /c/:handle/podcast.rss`: a Podcasting 2.0 video podcast. Funding points at the channel's
 * membership page; a Lightning address, when the channel has one, receives all streamed value.
 */
export function renderChannelPodcast(feed: ChannelFeed): string {
  const { channel } = feed;
  return renderRss({
    ...channelRssBase(feed, channel.urls.podcast),
    namespaces: { itunes: ITUNES_NS, podcast: PODCAST_NS },
    imageUrl: channel.urls.cover,
    extra: [
      el('itunes:image', { href: channel.urls.cover }),
      el('itunes:author', {}, channel.name),
      el('itunes:explicit', {}, 'false'),
      el('itunes:type', {}, 'episodic'),
      el('podcast:guid', {}, podcastGuid(channel.urls.podcast)),
      el('podcast:medium', {}, 'video'),
      el('podcast:locked', {}, 'no'),
      el('podcast:funding', { url: channel.urls.membership }, 'Support'),
      channel.lightningAddress &&
        el(
          'podcast:value',
          { type: 'lightning', method: 'lnaddress' },
          el('podcast:valueRecipient', { name: channel.name, type: 'lnaddress', address: channel.lightningAddress, split: 100 }),
        ),
    ],
    items: feed.entries.map((entry) => ({
      title: entry.title,
      link: entry.urls.watch,
      guid: entryGuid(entry),
      isPermaLink: false,
      pubDate: entry.published,
      description: entry.descriptionHtml,
      extra: episode(entry),
    })),
  });
}
