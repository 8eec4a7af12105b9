/**
 * Why a file was refused before transcoding:
 * - `not_media`: empty, or not a container ffprobe recognises as audio/video (a text file, an image);
 * - `no_decodable_stream`: a media container, but no audio or video stream that decodes;
 * - `truncated`: a recognised container cut short (upload interrupted: moov atom missing, data past EOF);
 * - `probe_failed`: ffprobe could not run, timed out, or printed something unexpected.
 */
export type ProbeFailureReason = 'not_media' | 'no_decodable_stream' | 'truncated' | 'probe_failed';

/** A file this module will not transcode. `reason` is stable for callers; `detail` is for logs. */
export class ProbeError extends Error {
  constructor(
    readonly reason: ProbeFailureReason,
    readonly file: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${file}${detail ? `: ${detail}` : ''}`, options);
    this.name = new.target.name;
  }
}

/** Why a transcode stopped: ffmpeg failed (stderr attached), or the caller aborted it. */
export type TranscodeFailureReason = 'ffmpeg_failed' | 'aborted';

/**
 * A transcode that produced nothing. `stderrTail` holds ffmpeg's last stderr lines, which are also
 * in the message, because they are the only useful account of what went wrong.
 */
export class TranscodeError extends Error {
  constructor(
    readonly reason: TranscodeFailureReason,
    readonly step: string,
    readonly stderrTail: string,
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'aborted' ? `transcode aborted during ${step}` : `${step} failed:\n${stderrTail || '(ffmpeg printed nothing)'}`,
      options,
    );
    this.name = new.target.name;
  }
}
