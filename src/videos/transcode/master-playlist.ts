import { avc1Codec, H264_PROFILE_IDC } from './h264.js';
import type { AudioRendition, Rendition, VideoRendition } from './ladder.js';

/** What was measured on one produced rendition. Rates in bit/s. */
export interface RenditionMeasurement {
  peakBitrate: number;
  averageBitrate: number;
  /** RFC 6381 codec string read from the produced init segment (video only). */
  codec?: string;
}

/** Measurements by rendition name; a rendition left out gets its nominal figures. */
export type Measurements = Partial<Record<string, RenditionMeasurement>>;

/** Options of {@link buildMasterPlaylist}. */
export interface MasterPlaylistOptions {
  /** URI of a rendition's media playlist relative to the master; default `${name}/index.m3u8`. */
  uriFor?: (rendition: Rendition) => string;
}

/** AAC-LC, the only audio we produce. */
export const AAC_LC_CODEC = 'mp4a.40.2';
const AUDIO_GROUP = 'audio';

/**
 * The master playlist for `renditions`, written by us rather than by ffmpeg (`-master_pl_name`
 * crashes some builds and cannot know the measured peaks). Audio is one separate rendition group
 * shared by every video variant (README.md says why). BANDWIDTH is the peak of video plus audio as
 * RFC 8216 defines it, AVERAGE-BANDWIDTH their averages: measured when given, else nominal from the
 * encoder settings. The variant closest to 720p is listed first because players start with the
 * first one; the rest follow tallest first.
 */
export function buildMasterPlaylist(renditions: Rendition[], measured: Measurements = {}, options: MasterPlaylistOptions = {}): string {
  const uriFor = options.uriFor ?? ((r: Rendition) => `${r.name}/index.m3u8`);
  const videos = renditions.filter((r): r is VideoRendition => r.kind === 'video');
  const audio = renditions.find((r): r is AudioRendition => r.kind === 'audio');
  const audioRates = audio ? (measured[audio.name] ?? { peakBitrate: audio.bitrate, averageBitrate: audio.bitrate }) : undefined;
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];

  if (videos.length === 0) {
    // An audio-only source: the audio playlist is the one variant.
    if (audio && audioRates) {
      lines.push(`#EXT-X-STREAM-INF:${rates(audioRates.peakBitrate, audioRates.averageBitrate)},CODECS="${AAC_LC_CODEC}"`, uriFor(audio));
    }
    return `${lines.join('\n')}\n`;
  }
  if (audio) {
    lines.push(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP}",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="${audio.channels}",URI="${uriFor(audio)}"`,
    );
  }
  for (const video of startFirst(videos)) {
    const m = measured[video.name];
    const codec = m?.codec ?? avc1Codec(H264_PROFILE_IDC[video.profile], 0, video.level.idc);
    const peak = (m?.peakBitrate ?? Math.round(video.maxrate * 1.1)) + (audioRates?.peakBitrate ?? 0);
    const average = (m?.averageBitrate ?? video.bitrate) + (audioRates?.averageBitrate ?? 0);
    const attributes = [
      rates(peak, average),
      `CODECS="${audio ? `${codec},${AAC_LC_CODEC}` : codec}"`,
      `RESOLUTION=${video.width}x${video.height}`,
      `FRAME-RATE=${video.fps.toFixed(3)}`,
      ...(audio ? [`AUDIO="${AUDIO_GROUP}"`] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, uriFor(video));
  }
  return `${lines.join('\n')}\n`;
}

function rates(peak: number, average: number): string {
  return `BANDWIDTH=${Math.ceil(peak)},AVERAGE-BANDWIDTH=${Math.ceil(average)}`;
}

function startFirst(videos: VideoRendition[]): VideoRendition[] {
  const short = (v: VideoRendition) => Math.min(v.width, v.height);
  const start = [...videos].sort((a, b) => Math.abs(short(a) - 720) - Math.abs(short(b) - 720) || short(a) - short(b))[0]!;
  return [start, ...videos.filter((v) => v !== start).sort((a, b) => short(b) - short(a))];
}

/** A produced segment: its size on disk and its #EXTINF duration. */
export interface SizedSegment {
  bytes: number;
  duration: number;
}

/**
 * Peak and average bit rate of a media playlist's segments. The peak follows RFC 8216 4.3.4.2:
 * the highest rate of any run of consecutive segments lasting 0.5 to 1.5 target durations, so a
 * short last segment neither dominates nor hides a peak. Init segments are fetched once and left out.
 */
export function measureBitrates(segments: SizedSegment[], targetDuration: number): { peakBitrate: number; averageBitrate: number } {
  const totalBytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  const totalDuration = segments.reduce((sum, s) => sum + s.duration, 0);
  const averageBitrate = totalDuration > 0 ? (totalBytes * 8) / totalDuration : 0;
  let peakBitrate = 0;
  for (let start = 0; start < segments.length; start++) {
    let bytes = 0;
    let duration = 0;
    for (let end = start; end < segments.length; end++) {
      bytes += segments[end]!.bytes;
      duration += segments[end]!.duration;
      if (duration > 1.5 * targetDuration) break;
      if (duration >= 0.5 * targetDuration) peakBitrate = Math.max(peakBitrate, (bytes * 8) / duration);
    }
  }
  // A video shorter than half a target duration has no qualifying run; its average is its peak.
  return { peakBitrate: Math.max(peakBitrate, averageBitrate), averageBitrate };
}
