/**
 * The `<link rel="alternate">` tags that let browsers and feed readers find a channel's feeds from its
 * pages. Titles use the channel's name and the format's proper name, so they need no translation.
 *
 * @example
 * // contributed to the channel pages' head by the manifest (index.ts):
 * 'channel.head': () => (channel) => FeedLinks({ channel }),
 */
export function FeedLinks({ channel }: { channel: { handle: string; name: string } }) {
  const base = `/c/${channel.handle}`;
  return (
    <>
      <link rel="alternate" type="application/rss+xml" title={`${channel.name} (RSS)`} href={`${base}/feed.rss`} />
      <link rel="alternate" type="application/atom+xml" title={`${channel.name} (Atom)`} href={`${base}/feed.atom`} />
      <link rel="alternate" type="application/rss+xml" title={`${channel.name} (Podcast)`} href={`${base}/podcast.rss`} />
    </>
  );
}
