import { AppError } from '../core/http/errors.js';
import type { MessageKey } from '../core/i18n/index.js';

/** Why an archive cannot be imported; each reason has its words in both languages (messages.ts). */
export type ArchiveProblem = 'corrupt' | 'unsafe_path' | 'too_large' | 'zip_bomb' | 'version' | 'not_an_archive' | 'checksum' | 'handle_taken' | 'conflict' | 'incomplete' | 'unknown_channel'
  | 'peertube_version' | 'missing_file' | 'not_media' | 'owner_required' | 'owner_unknown';

const KEYS: Record<ArchiveProblem, MessageKey> = {
  corrupt: 'portability.error.corrupt',
  unsafe_path: 'portability.error.unsafe_path',
  too_large: 'portability.error.too_large',
  zip_bomb: 'portability.error.zip_bomb',
  version: 'portability.error.version',
  not_an_archive: 'portability.error.not_an_archive',
  checksum: 'portability.error.checksum',
  handle_taken: 'portability.error.handle_taken',
  conflict: 'portability.error.conflict',
  incomplete: 'portability.error.incomplete',
  unknown_channel: 'portability.error.unknown_channel',
  peertube_version: 'portability.error.peertube_version',
  missing_file: 'portability.error.missing_file',
  not_media: 'portability.error.not_media',
  owner_required: 'portability.error.owner_required',
  owner_unknown: 'portability.error.owner_unknown',
};

/** An archive refused before anything was written (or a stage rolled back whole): a clear, translated 4xx. */
export class ArchiveError extends AppError {
  constructor(
    readonly problem: ArchiveProblem,
    vars: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(problem === 'unknown_channel' ? 404 : problem === 'too_large' ? 413 : problem === 'handle_taken' || problem === 'conflict' ? 409 : 422, `archive_${problem}`, KEYS[problem], vars, options);
  }
}
