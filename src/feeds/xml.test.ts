import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Parser from 'rss-parser';
import { podcastGuid, uuidV5 } from './podcast-guid.js';
import { renderRss } from './rss.js';
import { el, escapeAttr, escapeText, renderXml, rfc3339, rfc822 } from './xml.js';

describe('feeds: the XML writer', () => {
  it('escapes markup characters in text and attributes, and keeps emoji and accents as they are', () => {
    assert.equal(escapeText(`a & b < c > d "e" 'f' é 🎬`), `a &amp; b &lt; c &gt; d "e" 'f' é 🎬`);
    assert.equal(escapeAttr(`a & b < c > d "e" 'f'`), `a &amp; b &lt; c &gt; d &quot;e&quot; 'f'`);
  });

  it('never lets text close a CDATA section or lose a carriage return or an attribute line break', () => {
    assert.equal(escapeText('x]]>y\r\n'), 'x]]&gt;y&#13;\n');
    assert.equal(escapeAttr('one\ntwo\tthree\r'), 'one&#10;two&#9;three&#13;');
  });

  it('drops characters XML 1.0 cannot carry: control characters, lone surrogates, U+FFFE', () => {
    assert.equal(escapeText('a\u0000b\u0001c\u001fd\u000be\ud800f\ufffeg'), 'abcdefg');
    assert.equal(escapeText('\ud83c\udfac'), '🎬', 'a surrogate pair is kept');
  });

  it('leaves out absent attributes and children, and lays out element-only content one per line', () => {
    const xml = renderXml(el('a', { x: 1, y: undefined, z: false, w: null }, el('b', {}, 'text'), null, false, undefined, [el('c'), [el('d')]]));
    assert.equal(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<a x="1">\n  <b>text</b>\n  <c/>\n  <d/>\n</a>\n');
  });

  it('writes RFC 822 dates for RSS and RFC 3339 dates for Atom, in UTC', () => {
    const date = new Date('2026-03-07T05:04:09.123+01:00');
    assert.equal(rfc822(date), 'Sat, 07 Mar 2026 04:04:09 GMT');
    assert.equal(rfc3339(date), '2026-03-07T04:04:09Z');
  });

  it('produces RSS that an independent parser reads back exactly, whatever the creator typed', async () => {
    const nasty = `<script>alert("x")</script> & &amp; ]]> 'q' 🎉`;
    const xml = renderRss({
      title: nasty,
      link: 'https://example.org/?a=1&b=2',
      description: '',
      selfUrl: 'https://example.org/feed?x=1&y="2"',
      items: [{ title: nasty, link: 'https://example.org/v/1?t=1&u=2', guid: 'urn:uuid:1', isPermaLink: false, pubDate: new Date('2026-01-02T03:04:05Z'), description: '<p>Hi &amp; bye</p>' }],
    });
    const feed = await new Parser<{ 'atom:link': { $: { href: string } } }>({ customFields: { feed: ['atom:link'] } }).parseString(xml);
    assert.equal(feed.title, nasty);
    assert.equal(feed.link, 'https://example.org/?a=1&b=2');
    assert.equal(feed.description, nasty, 'an empty description falls back to the title');
    assert.equal(feed['atom:link'].$.href, 'https://example.org/feed?x=1&y="2"');
    const [item] = feed.items;
    assert.equal(item!.title, nasty);
    assert.equal(item!.link, 'https://example.org/v/1?t=1&u=2');
    assert.equal(item!.guid, 'urn:uuid:1');
    assert.equal(item!.content, '<p>Hi &amp; bye</p>');
    assert.equal(item!.isoDate, '2026-01-02T03:04:05.000Z');
  });
});

describe('feeds: the podcast GUID', () => {
  it('matches the examples of the Podcasting 2.0 specification', () => {
    assert.equal(podcastGuid('https://mp3s.nashownotes.com/pc20rss.xml'), '917393e3-1b1e-5cef-ace4-edaa54e1f810');
    assert.equal(podcastGuid('https://podnews.net/rss'), '9b024349-ccf0-5f69-a609-6b82873eab3c');
  });

  it('ignores the scheme and trailing slashes of the feed URL', () => {
    assert.equal(podcastGuid('http://podnews.net/rss//'), '9b024349-ccf0-5f69-a609-6b82873eab3c');
    assert.equal(podcastGuid('podnews.net/rss'), '9b024349-ccf0-5f69-a609-6b82873eab3c');
  });

  it('computes UUIDv5 as RFC 9562 does (its example: www.example.com in the DNS namespace)', () => {
    assert.equal(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
