import type { MessageKey } from '../i18n/index.js';

type Vars = Record<string, string | number>;

/**
 * An error the user can act on. It carries an HTTP status, a stable machine `code` and a message key
 * translated at the edge, so the same error reads in the user's language in a page or a JSON body.
 * The one error handler (error-handler.ts) turns it into a response; nothing else does.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 507,
    readonly code: string,
    readonly messageKey: MessageKey,
    readonly vars?: Vars,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${messageKey}`, options);
    this.name = new.target.name;
  }
}

/** Input that failed validation; `fields` maps each form field to the message key of its problem. */
export class ValidationError extends AppError {
  constructor(readonly fields: Record<string, MessageKey>, messageKey: MessageKey = 'error.validation') {
    super(422, 'validation_failed', messageKey);
  }
}

export class BadRequestError extends AppError {
  constructor(messageKey: MessageKey = 'error.bad_request', options?: { cause?: unknown }) {
    super(400, 'bad_request', messageKey, undefined, options);
  }
}

export class UnauthorizedError extends AppError {
  constructor() {
    super(401, 'login_required', 'error.login_required');
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey: MessageKey = 'error.forbidden', code = 'forbidden') {
    super(403, code, messageKey);
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey: MessageKey = 'error.not_found') {
    super(404, 'not_found', messageKey);
  }
}

export class ConflictError extends AppError {
  constructor(messageKey: MessageKey, code = 'conflict') {
    super(409, code, messageKey);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', 'error.payload_too_large', { max: formatBytes(maxBytes) });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super(415, 'unsupported_media_type', 'error.unsupported_media_type');
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', 'error.rate_limited', { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });
  }
}

/**
 * The server's disk is full (ENOSPC): 507 Insufficient Storage, never a 500. Nothing the user did was
 * wrong and nothing was half-written they must fix; the error is logged for the site owner.
 */
export class StorageFullError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(507, 'storage_full', 'error.storage_full', undefined, options);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
