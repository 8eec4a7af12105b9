import { ATOM_NS, byDate, entryGuid, entryHtml } from './rss.js';
import type { ChannelFeed } from './service.js';
import { el, renderXml, rfc3339 } from './xml.js';

/** `GET /c/:handle/feed.atom`: Atom 1.0 (RFC 4287). Ids are `urn:uuid:` of rows, so they survive a domain move. */
export function renderChannelAtom(feed: ChannelFeed): string {
  const { channel } = feed;
  return renderXml(
    el(
      'feed',
      { xmlns: ATOM_NS, 'xml:lang': channel.language },
      el('id', {}, `urn:uuid:${channel.id}`),
      el('title', { type: 'text' }, channel.name),
      channel.descriptionHtml && el('subtitle', { type: 'html' }, channel.descriptionHtml),
      el('updated', {}, rfc3339(feed.lastModified)),
      el('link', { rel: 'self', type: 'application/atom+xml', href: channel.urls.atom }),
      el('link', { rel: 'alternate', type: 'text/html', href: channel.urls.home }),
      el('author', {}, el('name', {}, channel.name), el('uri', {}, channel.urls.home)),
      el('generator', {}, 'Fanfare'),
      channel.urls.avatar && el('icon', {}, channel.urls.avatar),
      channel.urls.avatar && el('logo', {}, channel.urls.avatar),
      byDate([
        ...feed.entries.map((entry) => ({ id: entryGuid(entry), title: entry.title, url: entry.urls.watch, published: entry.published, updated: entry.updated, html: entryHtml(entry) })),
        ...feed.articles.map((a) => ({ ...a, id: `urn:uuid:${a.id}` })),
      ], (e) => e.published).map((e) =>
        el(
          'entry',
          {},
          el('id', {}, e.id),
          el('title', { type: 'text' }, e.title),
          el('link', { rel: 'alternate', type: 'text/html', href: e.url }),
          el('published', {}, rfc3339(e.published)),
          el('updated', {}, rfc3339(e.updated)),
          el('content', { type: 'html' }, e.html),
        ),
      ),
    ),
  );
}
