import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import archiver from 'archiver';

/**
 * A PeerTube user export written by hand from the layout PeerTube's exporters produce (see the file
 * comment of peertube-import.ts): `peertube/*.json` with paths relative to them, `files/<json>/…`.
 */
export const HOST = 'https://tube.example';
export const V1 = '1f0c6a0e-5a7b-4c1e-9a51-0d6b3b0a0001';
export const V2 = '1f0c6a0e-5a7b-4c1e-9a51-0d6b3b0a0002';
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 1)]);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 2)]);
export const VTT = 'WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour tout le monde\n';

export type Entries = Record<string, string | Buffer>;

export function peertubeEntries(clip: Buffer, channel = 'atelier'): Entries {
  const video = (uuid: string, extra: Record<string, unknown>) => ({
    uuid,
    createdAt: '2024-03-01T10:00:00.000Z',
    updatedAt: '2024-03-02T10:00:00.000Z',
    publishedAt: '2024-03-02T10:00:00.000Z',
    originallyPublishedAt: null,
    category: 2,
    licence: null,
    language: null,
    tags: [],
    privacy: 1,
    passwords: [],
    duration: 1,
    description: '',
    support: null,
    isLive: false,
    url: `${HOST}/videos/watch/${uuid}`,
    thumbnailUrl: null,
    previewUrl: null,
    views: 12,
    likes: 1,
    dislikes: 0,
    nsfw: false,
    commentsPolicy: 1,
    downloadEnabled: true,
    waitTranscoding: true,
    state: 1,
    channel: { name: channel },
    captions: [],
    chapters: [],
    files: [],
    streamingPlaylists: [],
    source: { inputFilename: 'film.mp4', resolution: 90, size: clip.length, width: 160, height: 90, fps: 10, metadata: {} },
    archiveFiles: { videoFile: `../files/videos/video-files/${uuid}.mp4`, thumbnail: null, captions: {} },
    ...extra,
  });
  const videos = [
    video(V1, {
      name: 'Le premier court',
      description: 'Tourné à Lyon.\nAvec des amis.',
      tags: ['Court métrage', 'lyon'],
      language: 'fr',
      licence: 2,
      originallyPublishedAt: '2019-05-02T18:30:00.000Z',
      chapters: [{ timecode: 0, title: 'Début' }, { timecode: 1, title: 'Fin' }],
      captions: [{ createdAt: '2024-03-01T10:00:00.000Z', updatedAt: '2024-03-01T10:00:00.000Z', language: 'fr', filename: 'x-fr.vtt', automaticallyGenerated: false, fileUrl: `${HOST}/lazy-static/video-captions/x-fr.vtt` }],
      archiveFiles: { videoFile: `../files/videos/video-files/${V1}.mp4`, thumbnail: `../files/videos/thumbnails/${V1}.jpg`, captions: { fr: `../files/videos/captions/${V1}-fr.vtt` } },
    }),
    video(V2, { name: 'Les coulisses', privacy: 3 }),
  ];
  return {
    'peertube/account.json': JSON.stringify({ url: `${HOST}/accounts/camille`, name: 'camille', displayName: 'Camille', description: '', avatars: [], banners: [], archiveFiles: { avatar: null, banner: null } }),
    'peertube/channels.json': JSON.stringify({
      channels: [
        {
          url: `${HOST}/video-channels/${channel}`, name: channel, displayName: 'L’Atelier de Camille', description: 'Des courts métrages.', support: null,
          updatedAt: '2024-01-01T00:00:00.000Z', createdAt: '2023-01-01T00:00:00.000Z', avatars: [], banners: [], playerSettings: null,
          archiveFiles: { avatar: `../files/channels/avatars/${channel}.png`, banner: `../files/channels/banners/${channel}.png` },
        },
      ],
    }),
    'peertube/videos.json': JSON.stringify({ videos }),
    'peertube/follower.json': JSON.stringify({
      followers: [
        { handle: 'alice@mastodon.example', createdAt: '2024-02-01T00:00:00.000Z', targetHandle: `${channel}@tube.example` },
        { handle: 'bob@tube.example', createdAt: '2024-02-02T00:00:00.000Z', targetHandle: 'camille@tube.example' },
      ],
    }),
    'peertube/comments.json': JSON.stringify({
      comments: [
        { url: `${HOST}/videos/watch/${V1}/comments/1`, text: 'Merci d’être venus à la **projection** !', createdAt: '2024-03-03T00:00:00.000Z', videoUrl: `${HOST}/videos/watch/${V1}` },
        { url: `${HOST}/videos/watch/other/comments/9`, text: 'Bravo', createdAt: '2024-03-04T00:00:00.000Z', videoUrl: `${HOST}/videos/watch/other` },
      ],
    }),
    'peertube/likes.json': JSON.stringify({ likes: [] }),
    'activity-pub/outbox.json': JSON.stringify({ '@context': ['https://www.w3.org/ns/activitystreams'], id: 'outbox.json', type: 'OrderedCollection', totalItems: 0, orderedItems: [] }),
    [`files/videos/video-files/${V1}.mp4`]: clip,
    [`files/videos/video-files/${V2}.mp4`]: clip,
    [`files/videos/thumbnails/${V1}.jpg`]: JPEG,
    [`files/videos/captions/${V1}-fr.vtt`]: VTT,
    [`files/channels/avatars/${channel}.png`]: PNG,
    [`files/channels/banners/${channel}.png`]: PNG,
  };
}

/** Writes `entries` (archive path → body) as a ZIP at `file`. */
export async function writeZip(file: string, entries: Entries): Promise<string> {
  const archive = archiver('zip', { zlib: { level: 1 } });
  const out = createWriteStream(file);
  archive.pipe(out);
  for (const [name, body] of Object.entries(entries)) archive.append(body, { name });
  await archive.finalize();
  await finished(out);
  return file;
}
