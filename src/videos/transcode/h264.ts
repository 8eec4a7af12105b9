// H.264 Annex A limits (Table A-1): macroblocks per second, macroblocks per frame, and max video
// bit rate in kbit/s for Baseline/Main (High may use 1.25 times that).
const LEVELS = [
  { level: '3.0', idc: 30, maxMbps: 40_500, maxFs: 1_620, maxKbps: 10_000 },
  { level: '3.1', idc: 31, maxMbps: 108_000, maxFs: 3_600, maxKbps: 14_000 },
  { level: '3.2', idc: 32, maxMbps: 216_000, maxFs: 5_120, maxKbps: 20_000 },
  { level: '4.0', idc: 40, maxMbps: 245_760, maxFs: 8_192, maxKbps: 20_000 },
  { level: '4.1', idc: 41, maxMbps: 245_760, maxFs: 8_192, maxKbps: 50_000 },
  { level: '4.2', idc: 42, maxMbps: 522_240, maxFs: 8_704, maxKbps: 50_000 },
  { level: '5.0', idc: 50, maxMbps: 589_824, maxFs: 22_080, maxKbps: 135_000 },
  { level: '5.1', idc: 51, maxMbps: 983_040, maxFs: 36_864, maxKbps: 240_000 },
  { level: '5.2', idc: 52, maxMbps: 2_073_600, maxFs: 36_864, maxKbps: 240_000 },
] as const;

/** An H.264 level as x264 takes it ("3.1") and as it is coded in the stream (31). */
export interface H264Level {
  level: string;
  idc: number;
}

/**
 * The lowest High-profile level that allows this frame size, frame rate and peak bit rate. Level
 * 3.0 is the floor: every HLS player handles it, and lower levels save nothing. Declaring the level
 * lets x264 keep its reference frames within the decoder's buffer, and lets us write CODECS.
 */
export function chooseH264Level(width: number, height: number, fps: number, maxBitrate: number): H264Level {
  const mbWide = Math.ceil(width / 16);
  const mbHigh = Math.ceil(height / 16);
  const frameMbs = mbWide * mbHigh;
  // A frame side may not exceed sqrt(8 * MaxFS) macroblocks (A.3.1 h/i), which matters for tall
  // portrait or very wide frames.
  const fits = (l: (typeof LEVELS)[number]) =>
    frameMbs <= l.maxFs &&
    Math.max(mbWide, mbHigh) <= Math.sqrt(8 * l.maxFs) &&
    frameMbs * fps <= l.maxMbps &&
    maxBitrate <= l.maxKbps * 1000 * 1.25;
  const found = LEVELS.find(fits) ?? LEVELS[LEVELS.length - 1]!;
  return { level: found.level, idc: found.idc };
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** RFC 6381 codec string for H.264: avc1.PPCCLL (profile_idc, constraint flags, level_idc). */
export function avc1Codec(profileIdc: number, constraintFlags: number, levelIdc: number): string {
  return `avc1.${hex2(profileIdc)}${hex2(constraintFlags)}${hex2(levelIdc)}`;
}

/** profile_idc of the profiles we ask x264 for. */
export const H264_PROFILE_IDC = { baseline: 66, main: 77, high: 100 } as const;

/**
 * The avc1 codec string as actually written by the encoder, read from the avcC box of an fMP4 init
 * segment. x264 may signal a different profile or constraint flags than requested (it lowers the
 * profile when no High tool is used), so the produced file is the authority. Undefined when the
 * buffer holds no avcC box.
 */
export function avc1CodecFromInitSegment(init: Uint8Array): string | undefined {
  const bytes = Buffer.from(init.buffer, init.byteOffset, init.byteLength);
  const at = bytes.indexOf('avcC', 0, 'latin1');
  // Box layout after the type: configurationVersion(1) = 1, AVCProfileIndication, profile_compatibility,
  // AVCLevelIndication.
  if (at < 0 || at + 8 > bytes.length || bytes[at + 4] !== 1) return undefined;
  return avc1Codec(bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
}
