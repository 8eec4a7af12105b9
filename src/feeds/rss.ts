import type { ChannelFeed, FeedEntry } from './service.js';
import { el, renderXml, rfc822, type XmlChild } from './xml.js';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** Feeds list the newest public videos (and posts), up to this many. */
export const FEED_LIMIT = 100;

/** An RSS 2.0 item. `description` is HTML, escaped as text the way RSS readers expect. */
export interface RssItem {
  title: string;
  link: string;
  guid: string;
  isPermaLink: boolean;
  pubDate: Date;
  description: string;
  /** More children, in extension namespaces (the podcast feed's enclosures, durations, transcripts). */
  extra?: XmlChild[];
}

/** An RSS 2.0 document; extension elements go in `extra` with their prefixes declared in `namespaces`. */
export interface RssDocument {
  namespaces?: Record<string, string>;
  title: string;
  link: string;
  description: string;
  language?: string;
  /** The feed's own URL, sent as `<atom:link rel="self">` (the RSS Advisory Board's recommendation). */
  selfUrl?: string;
  imageUrl?: string;
  lastBuildDate?: Date;
  extra?: XmlChild[];
  items: RssItem[];
}

/** Renders an RSS 2.0 document. Used by the public feeds and the members' private feed. */
export function renderRss(doc: RssDocument): string {
  const namespaces = { ...(doc.selfUrl ? { atom: ATOM_NS } : {}), ...doc.namespaces };
  const xmlns = Object.fromEntries(Object.entries(namespaces).map(([prefix, uri]) => [`xmlns:${prefix}`, uri]));
  return renderXml(
    el(
      'rss',
      { version: '2.0', ...xmlns },
      el(
        'channel',
        {},
        el('title', {}, doc.title),
        el('link', {}, doc.link),
        // RSS requires a description; an empty one is valid XML but some readers reject the feed.
        el('description', {}, doc.description || doc.title),
        doc.language && el('language', {}, doc.language),
        doc.lastBuildDate && el('lastBuildDate', {}, rfc822(doc.lastBuildDate)),
        el('generator', {}, 'Fanfare'),
        doc.selfUrl && el('atom:link', { href: doc.selfUrl, rel: 'self', type: 'application/rss+xml' }),
        doc.imageUrl && el('image', {}, el('url', {}, doc.imageUrl), el('title', {}, doc.title), el('link', {}, doc.link)),
        doc.extra,
        doc.items.map((item) =>
          el(
            'item',
            {},
            el('title', {}, item.title),
            el('link', {}, item.link),
            el('guid', { isPermaLink: item.isPermaLink ? 'true' : 'false' }, item.guid),
            el('pubDate', {}, rfc822(item.pubDate)),
            el('description', {}, item.description),
            item.extra,
          ),
        ),
      ),
    ),
  );
}

const escapeHtmlAttr = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The description readers show: the thumbnail, linked to the video, then the creator's text. */
export function entryHtml(entry: FeedEntry): string {
  const picture = entry.urls.thumbnail
    ? `<p><a href="${escapeHtmlAttr(entry.urls.watch)}"><img src="${escapeHtmlAttr(entry.urls.thumbnail)}" alt=""></a></p>`
    : '';
  return picture + entry.descriptionHtml;
}

/** Stable across formats and domain moves: the video's id, never its URL. */
export function entryGuid(entry: FeedEntry): string {
  return `urn:uuid:${entry.id}`;
}

/** The fields every RSS flavour of a channel shares. */
export function channelRssBase(feed: ChannelFeed, selfUrl: string): Omit<RssDocument, 'items'> {
  const { channel } = feed;
  return {
    title: channel.name,
    link: channel.urls.home,
    description: channel.descriptionHtml,
    language: channel.language,
    selfUrl,
    lastBuildDate: feed.lastModified,
  };
}

/** `GET /c/:handle/feed.rss`: RSS 2.0 for feed readers. */
export function renderChannelRss(feed: ChannelFeed): string {
  return renderRss({
    ...channelRssBase(feed, feed.channel.urls.rss),
    imageUrl: feed.channel.urls.avatar,
    items: byDate([
      ...feed.entries.map((entry) => ({
        title: entry.title,
        link: entry.urls.watch,
        guid: entryGuid(entry),
        isPermaLink: false,
        pubDate: entry.published,
        description: entryHtml(entry),
      })),
      ...feed.articles.map((a) => ({ title: a.title, link: a.url, guid: `urn:uuid:${a.id}`, isPermaLink: false, pubDate: a.published, description: a.html })),
    ], (item) => item.pubDate),
  });
}

/** Videos and articles in one list, newest first, at most FEED_LIMIT. */
export function byDate<T>(items: T[], date: (item: T) => Date): T[] {
  return items.sort((a, b) => date(b).getTime() - date(a).getTime()).slice(0, FEED_LIMIT);
}
