/** One segment of a media playlist: its URI (relative to the playlist) and #EXTINF duration. */
export interface MediaSegment {
  uri: string;
  duration: number;
}

/** The parts of an HLS media playlist this module writes and checks. */
export interface MediaPlaylist {
  version: number | undefined;
  targetDuration: number;
  /** URI of the fMP4 init segment (#EXT-X-MAP), if any. */
  mapUri: string | undefined;
  segments: MediaSegment[];
  endList: boolean;
}

/** A variant (#EXT-X-STREAM-INF + URI) or rendition (#EXT-X-MEDIA) of a master playlist. */
export interface MasterEntry {
  attributes: Record<string, string>;
  uri: string | undefined;
}

/** The parts of an HLS master playlist this module writes and checks. */
export interface MasterPlaylist {
  version: number | undefined;
  independentSegments: boolean;
  media: MasterEntry[];
  variants: MasterEntry[];
}

/** Parses a media playlist; throws when it is not one (no #EXTM3U, no target duration). */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = playlistLines(text);
  let targetDuration: number | undefined;
  let version: number | undefined;
  let mapUri: string | undefined;
  let pending: number | undefined;
  const segments: MediaSegment[] = [];
  let endList = false;
  for (const line of lines) {
    const [tag, value = ''] = splitTag(line);
    if (tag === '#EXT-X-TARGETDURATION') targetDuration = Number(value);
    else if (tag === '#EXT-X-VERSION') version = Number(value);
    else if (tag === '#EXT-X-MAP') mapUri = parseAttributes(value).URI;
    else if (tag === '#EXTINF') pending = Number(value.split(',')[0]);
    else if (tag === '#EXT-X-ENDLIST') endList = true;
    else if (!line.startsWith('#')) {
      if (pending === undefined || !Number.isFinite(pending)) throw new Error(`segment without #EXTINF: ${line}`);
      segments.push({ uri: line, duration: pending });
      pending = undefined;
    }
  }
  if (targetDuration === undefined || !Number.isFinite(targetDuration)) throw new Error('no #EXT-X-TARGETDURATION');
  return { version, targetDuration, mapUri, segments, endList };
}

/** Parses a master playlist into its renditions and variants, attributes unquoted. */
export function parseMasterPlaylist(text: string): MasterPlaylist {
  const lines = playlistLines(text);
  const result: MasterPlaylist = { version: undefined, independentSegments: false, media: [], variants: [] };
  let pending: Record<string, string> | undefined;
  for (const line of lines) {
    const [tag, value = ''] = splitTag(line);
    if (tag === '#EXT-X-VERSION') result.version = Number(value);
    else if (tag === '#EXT-X-INDEPENDENT-SEGMENTS') result.independentSegments = true;
    else if (tag === '#EXT-X-MEDIA') {
      const attributes = parseAttributes(value);
      result.media.push({ attributes, uri: attributes.URI });
    } else if (tag === '#EXT-X-STREAM-INF') pending = parseAttributes(value);
    else if (!line.startsWith('#') && pending) {
      result.variants.push({ attributes: pending, uri: line });
      pending = undefined;
    }
  }
  return result;
}

/** Splits an attribute list (`A=1,B="x,y"`) into a record; quoted values lose their quotes. */
export function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
    const raw = match[2]!;
    attributes[match[1]!] = raw.startsWith('"') ? raw.slice(1, -1) : raw;
  }
  return attributes;
}

function playlistLines(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist (no #EXTM3U)');
  return lines.slice(1);
}

function splitTag(line: string): [string, string | undefined] {
  const colon = line.indexOf(':');
  return colon < 0 ? [line, undefined] : [line.slice(0, colon), line.slice(colon + 1)];
}
