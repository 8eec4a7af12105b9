import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAttributes, parseMediaPlaylist } from './hls-playlist.js';

describe('HLS playlist parsing', () => {
  it('reads segments, their durations and the init segment of an fMP4 media playlist', () => {
    const playlist = parseMediaPlaylist(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-TARGETDURATION:4',
        '#EXT-X-PLAYLIST-TYPE:VOD',
        '#EXT-X-MAP:URI="init_0.mp4"',
        '#EXTINF:4.000000,',
        'seg_00000.m4s',
        '#EXTINF:2.500000,',
        'seg_00001.m4s',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
    assert.equal(playlist.targetDuration, 4);
    assert.equal(playlist.mapUri, 'init_0.mp4');
    assert.deepEqual(playlist.segments, [
      { uri: 'seg_00000.m4s', duration: 4 },
      { uri: 'seg_00001.m4s', duration: 2.5 },
    ]);
    assert.ok(playlist.endList);
  });

  it('refuses text that is not a playlist', () => {
    assert.throws(() => parseMediaPlaylist('hello'), /no #EXTM3U/);
    assert.throws(() => parseMediaPlaylist('#EXTM3U\nseg.m4s\n'), /without #EXTINF/);
  });

  it('keeps commas inside quoted attribute values', () => {
    assert.deepEqual(parseAttributes('BANDWIDTH=1000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720'), {
      BANDWIDTH: '1000',
      CODECS: 'avc1.64001f,mp4a.40.2',
      RESOLUTION: '1280x720',
    });
  });
});
