import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Video } from '@fedify/vocab';
import { getDocumentLoader } from '@fedify/vocab-runtime';
import type { VideoWithChannel } from '../videos/queries.js';
import { buildVideoObject, isoDuration, PEERTUBE_VIDEO_CONTEXT, videoActivity, videoDocument } from './video-object.js';

const peertube = JSON.parse(readFileSync(new URL('../../test/support/fixtures/federation/peertube-video.json', import.meta.url), 'utf8').replaceAll('{{REMOTE}}', 'https://peertube.example').replaceAll('{{ACTOR}}', 'https://peertube.example/video-channels/boats')) as Record<string, unknown>;

/** PeerTube fields this site has no equivalent for: no categories, and storyboards in another format (WebVTT). */
const NOT_APPLICABLE = new Set(['category', 'preview']);

const URLS = {
  base: 'https://fanfare.test',
  channelActor: 'https://fanfare.test/ap/c/camille',
  channelFollowers: 'https://fanfare.test/ap/c/camille/followers',
  ownerActor: 'https://fanfare.test/ap/a/owner',
};

const video: VideoWithChannel = {
  id: '7f2b1c9e-4d3a-4b8e-9a1f-0c2d3e4f5a6b',
  short_id: 'Ab3dEf6hIj',
  channel_id: 'c0ffee00-0000-4000-8000-000000000001',
  uploader_id: null,
  title: 'A film',
  description: 'A *short* film.',
  tags: ['film', 'test'],
  language: 'fr',
  licence: 'cc_by_nc',
  visibility: 'public',
  publish_at: null,
  status: 'ready',
  failure_message: null,
  transcode_job_id: null,
  original_filename: 'film.mp4',
  source_key: 'videos/x/source/original.mp4',
  source_bytes: 1000,
  duration_seconds: 123.4,
  width: 1280,
  height: 720,
  hls_prefix: 'videos/x/hls-1-1',
  renditions: [
    { name: '720p', kind: 'video', width: 1280, height: 720, bandwidth: 3_000_000, codecs: 'avc1.64001f' },
    { name: '360p', kind: 'video', width: 640, height: 360, bandwidth: 900_000, codecs: 'avc1.64001e' },
    { name: 'audio', kind: 'audio', width: null, height: null, bandwidth: 128_000, codecs: 'mp4a.40.2' },
  ],
  has_storyboard: true,
  poster_key: 'videos/x/hls-1-1/poster.jpg',
  custom_thumbnail_key: null,
  paywall_poster: 'blurred',
  chapters: [],
  downloads_allowed: true,
  download_height: 720,
  download_file: null,
  download_bytes: null,
  audio_file: null,
  audio_bytes: null,
  created_at: new Date('2025-05-01T10:00:00Z'),
  updated_at: new Date('2025-05-01T12:00:00Z'),
  channel_handle: 'camille',
  channel_name: 'Camille',
};

describe('the Video object', () => {
  const object = buildVideoObject(video, [{ language: 'fr', label: 'Français', storage_key: 'k' }], URLS);

  it('has every field a PeerTube Video has (but the two with no equivalent here)', () => {
    const missing = Object.keys(peertube).filter((k) => k !== '@context' && !NOT_APPLICABLE.has(k) && !(k in object));
    assert.deepEqual(missing, []);
  });

  it('uses PeerTube\'s JSON-LD context for every PeerTube term it sends', () => {
    const fixtureContext = (peertube['@context'] as unknown[])[3] as Record<string, unknown>;
    assert.deepEqual({ ...PEERTUBE_VIDEO_CONTEXT }, fixtureContext);
  });

  it('is shaped as PeerTube expects: ids, durations, licence and language objects, audience', () => {
    assert.equal(object.id, 'https://fanfare.test/ap/videos/Ab3dEf6hIj');
    assert.equal(object.uuid, video.id);
    assert.equal(object.duration, 'PT123S');
    assert.equal(object.mediaType, 'text/markdown');
    assert.equal(object.content, 'A *short* film.');
    assert.deepEqual(object.licence, { identifier: '4', name: 'Attribution - Non Commercial' });
    assert.deepEqual(object.language, { identifier: 'fr', name: 'French' });
    assert.deepEqual(object.tag, [{ type: 'Hashtag', name: 'film' }, { type: 'Hashtag', name: 'test' }]);
    assert.equal(object.sensitive, false);
    assert.equal(object.support, 'Support Camille: https://fanfare.test/c/camille/membership');
    assert.deepEqual(object.to, ['https://www.w3.org/ns/activitystreams#Public']);
    assert.deepEqual(object.cc, [URLS.channelFollowers]);
    assert.deepEqual(object.attributedTo, [{ type: 'Group', id: URLS.channelActor }, { type: 'Person', id: URLS.ownerActor }]);
    assert.equal(object.published, '2025-05-01T10:00:00.000Z');
    assert.equal(object.updated, '2025-05-01T12:00:00.000Z');
  });

  it('lists the watch page first, then the HLS master with one link per rendition', () => {
    const [page, hls] = object.url as Record<string, unknown>[];
    assert.deepEqual(page, { type: 'Link', mediaType: 'text/html', href: 'https://fanfare.test/v/Ab3dEf6hIj' });
    assert.equal(hls!.mediaType, 'application/x-mpegURL');
    assert.equal(hls!.href, 'https://fanfare.test/media/v/Ab3dEf6hIj/master.m3u8');
    const tags = hls!.tag as Record<string, unknown>[];
    assert.deepEqual(tags.map((t) => [t.href, t.height ?? null, t.width ?? null]), [
      ['https://fanfare.test/media/v/Ab3dEf6hIj/720p/index.m3u8', 720, 1280],
      ['https://fanfare.test/media/v/Ab3dEf6hIj/360p/index.m3u8', 360, 640],
      ['https://fanfare.test/media/v/Ab3dEf6hIj/audio/index.m3u8', null, null],
    ]);
    assert.ok(tags.every((t) => t.type === 'Link' && t.mediaType === 'application/x-mpegURL'));
  });

  it("sends its icon as JPEGs of PeerTube's two sizes, converted from the custom thumbnail if any, the picture's version in the URL", () => {
    const icons = object.icon as Record<string, unknown>[];
    assert.deepEqual(icons.map((i) => [i.type, i.mediaType, i.width, i.height]), [['Image', 'image/jpeg', 280, 157], ['Image', 'image/jpeg', 850, 480]]);
    assert.match(String(icons[0]!.url), /^https:\/\/fanfare\.test\/ap\/videos\/Ab3dEf6hIj\/icons\/280x157\.jpg\?v=[0-9a-f]{12}$/);
    const custom = buildVideoObject({ ...video, custom_thumbnail_key: 'videos/x/thumbnail-1.png' }, [], URLS).icon as Record<string, unknown>[];
    assert.deepEqual(custom.map((i) => i.mediaType), ['image/jpeg', 'image/jpeg'], 'a PNG thumbnail is sent as JPEG');
    assert.notEqual(custom[0]!.url, icons[0]!.url, 'a new picture, a new URL: PeerTube downloads it again');
    assert.deepEqual(buildVideoObject({ ...video, updated_at: new Date(video.updated_at.getTime() + 60_000) }, [], URLS).icon, icons, 'a metadata edit keeps the URL');
  });

  it('leaves out the licence when all rights are reserved (PeerTube has no number for it)', () => {
    assert.ok(!('licence' in buildVideoObject({ ...video, licence: 'all_rights_reserved' }, [], URLS)));
  });

  it('parses as an ActivityStreams Video, and its Create as an activity, with Fedify', async () => {
    const loader = getDocumentLoader();
    const parsed = await Video.fromJsonLd(videoDocument(object), { documentLoader: loader, contextLoader: loader });
    assert.equal(parsed.name?.toString(), 'A film');
    assert.equal(parsed.duration?.total({ unit: 'second' }), 123);
    const activity = videoActivity('Create', `${object.id as string}#create-1`, URLS, object, new Date('2025-05-01T12:00:00Z'));
    assert.equal(activity.actor, URLS.channelActor);
    assert.deepEqual((activity['@context'] as unknown[])[0], 'https://www.w3.org/ns/activitystreams');
  });

  it('writes durations in whole seconds', () => {
    assert.equal(isoDuration(0.4), 'PT0S');
    assert.equal(isoDuration(59.5), 'PT60S');
    assert.equal(isoDuration(null), 'PT0S');
  });
});
