import type { Row } from './rows.js';

/**
 * The files PeerTube's user export (6.1+) has, as far as Fanfare's data overlaps: `peertube/channels.json`,
 * `peertube/videos.json`, `peertube/follower.json` (PeerTube's name), `peertube/comments.json` and
 * `activity-pub/outbox.json`, whose Video objects name their files by paths relative to the JSON file
 * (`../files/<storage key>`), as PeerTube's do. Fanfare's own import reads `fanfare/` instead.
 */
export function peertubeFiles(publicUrl: string, rows: ReadonlyMap<string, Row[]>): [string, unknown][] {
  const channel = rows.get('channels')?.[0] ?? {};
  const handle = String(channel.handle ?? '');
  const file = (key: unknown) => (typeof key === 'string' && key ? `../files/${key}` : null);
  const captions = rows.get('video_captions') ?? [];
  const videos = (rows.get('videos') ?? []).map((v) => {
    const own = captions.filter((c) => c.video_id === v.id);
    return {
      uuid: v.id,
      createdAt: v.created_at,
      updatedAt: v.updated_at,
      publishedAt: v.publish_at ?? v.created_at,
      name: v.title,
      description: v.description,
      language: v.language,
      tags: v.tags,
      privacy: v.visibility === 'public' ? 1 : v.visibility === 'unlisted' ? 2 : 3,
      duration: Math.round(Number(v.duration_seconds ?? 0)),
      url: `${publicUrl}/v/${String(v.short_id)}`,
      channel: { name: handle },
      captions: own.map((c) => ({ createdAt: c.created_at, language: c.language, filename: String(c.storage_key).split('/').pop(), fileUrl: file(c.storage_key) })),
      chapters: ((v.chapters as { start: number; title: string }[] | null) ?? []).map((c) => ({ timecode: c.start, title: c.title })),
      archiveFiles: {
        videoFile: file(v.source_key),
        thumbnail: file(v.custom_thumbnail_key ?? v.poster_key),
        captions: Object.fromEntries(own.map((c) => [c.language, file(c.storage_key)])),
      },
    };
  });
  const followers = [
    ...(rows.get('federation_followers') ?? []).map((f) => ({ handle: f.actor_uri, createdAt: f.created_at, targetHandle: `${handle}@${new URL(publicUrl).host}` })),
  ];
  const comments = (rows.get('community_comments') ?? []).map((c) => ({ ...c }));
  const outbox = {
    '@context': ['https://www.w3.org/ns/activitystreams'],
    id: 'outbox.json',
    type: 'OrderedCollection',
    totalItems: videos.length,
    orderedItems: videos.map((v) => ({
      type: 'Create',
      actor: `${publicUrl}/c/${handle}`,
      object: {
        type: 'Video',
        id: v.url,
        name: v.name,
        content: v.description,
        published: v.publishedAt,
        duration: `PT${v.duration}S`,
        url: v.archiveFiles.videoFile ? [{ type: 'Link', mediaType: 'video/mp4', href: v.archiveFiles.videoFile }] : [],
        icon: v.archiveFiles.thumbnail ? [{ type: 'Image', url: v.archiveFiles.thumbnail }] : [],
        subtitleLanguage: v.captions.map((c) => ({ identifier: c.language, url: c.fileUrl })),
      },
    })),
  };
  return [
    ['peertube/channels.json', { channels: [{ name: handle, displayName: channel.name, description: channel.description, createdAt: channel.created_at, archiveFiles: { avatar: file(channel.avatar_key), banner: null } }] }],
    ['peertube/videos.json', { videos }],
    ['peertube/follower.json', { followers }],
    ['peertube/comments.json', { comments }],
    ['activity-pub/outbox.json', outbox],
  ];
}
