import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FeedLinks } from './discovery.js';

describe('feeds: discovery links', () => {
  it('announces the three feeds of a channel, with its name escaped', async () => {
    const html = String(await (<FeedLinks channel={{ handle: 'camille', name: 'Camille & <Co>' }} />).toString());
    assert.equal(
      html,
      '<link rel="alternate" type="application/rss+xml" title="Camille &amp; &lt;Co&gt; (RSS)" href="/c/camille/feed.rss"/>' +
        '<link rel="alternate" type="application/atom+xml" title="Camille &amp; &lt;Co&gt; (Atom)" href="/c/camille/feed.atom"/>' +
        '<link rel="alternate" type="application/rss+xml" title="Camille &amp; &lt;Co&gt; (Podcast)" href="/c/camille/podcast.rss"/>',
    );
  });
});
