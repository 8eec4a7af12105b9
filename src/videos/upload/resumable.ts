import { mkdirSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import type { AppDeps } from '../../core/deps.js';
import type { CurrentUser } from '../../core/http/context.js';
import { formatBytes } from '../../core/http/errors.js';
import type { MessageKey, Translate } from '../../core/i18n/index.js';
import { isDiskFull } from '../../core/storage/disk-space.js';

/** Who is uploading, attached by the route to the Request object that tus then hands to its hooks. */
export interface UploadRequestContext {
  user: CurrentUser;
  t: Translate;
}

/** A refusal tus answers as is: our JSON error shape, in the uploader's language. Throw it from the hooks below. */
export interface UploadRefusal {
  status_code: number;
  body: string;
}

/** A refusal with `status`, a machine `code` and the translated message `key`. */
export function refuseUpload(status: number, code: string, t: Translate, key: MessageKey, vars?: Record<string, string>): UploadRefusal {
  return { status_code: status, body: JSON.stringify({ error: { code, message: t(key, vars) } }) };
}

function isRefusal(value: unknown): value is UploadRefusal {
  return typeof value === 'object' && value !== null && 'status_code' in value && 'body' in value && typeof (value as UploadRefusal).body === 'string';
}

/** A finished upload as the hooks see it: where its bytes are and what `accept` kept about it. */
export interface ReceivedUpload {
  id: string;
  localPath: string;
  size: number;
  metadata: Record<string, string>;
}

/** What a kind of upload (videos, bundle files) decides; the protocol, storage, locks and clean-up are shared. */
export interface ResumableUploadOptions {
  /** Where the tus endpoint is mounted (`/studio/uploads`). */
  path: string;
  /** Folder under DATA_DIR for partial uploads and their metadata files. */
  folder: string;
  /**
   * Checks a new upload (size and metadata as the client declared them, already within the size limit and
   * with a filename) and returns the metadata to keep: what the server checked replaces what the client claimed.
   * Throws a `refuseUpload(…)` to refuse.
   */
  accept(upload: { size: number; metadata: Record<string, string> }, who: UploadRequestContext): Promise<Record<string, string>>;
  /**
   * Looks at the first `bytes` of the file (in a file of their own at `headPath`) as soon as they have arrived,
   * while the rest is still on its way: throwing a refusal stops the upload there and removes it.
   */
  head?: { bytes: number; check(headPath: string, upload: ReceivedUpload, t: Translate): Promise<void> };
  /**
   * The upload is complete: make something of it (move the file into storage) and return tus's answer.
   * The partial-upload file and its metadata are removed afterwards, whatever happens.
   */
  finish(upload: ReceivedUpload, who: UploadRequestContext): Promise<{ status_code: number; headers?: Record<string, string>; body: string }>;
}

const TUS_ERROR_MESSAGES: Record<number, MessageKey> = {
  404: 'upload.not_found',
  409: 'upload.offset_conflict',
  410: 'upload.not_found',
  413: 'upload.too_large',
};

function received(directory: string, upload: Upload): ReceivedUpload {
  const metadata = Object.fromEntries(Object.entries(upload.metadata ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { id: upload.id, localPath: path.join(directory, upload.id), size: upload.size ?? 0, metadata };
}

/**
 * A resumable upload endpoint (tus 1.0 via @tus/server): partial uploads and their metadata live on disk
 * under DATA_DIR/<folder>, so an upload resumes after a dropped connection, a closed tab or a server
 * restart; only the user who started an upload may continue it; tus's own refusals (size, offset, unknown
 * upload, full disk) come back in our JSON error shape in the uploader's language. A finished or refused
 * upload leaves nothing in the folder; abandoned ones expire after a week.
 * Locks are per process (MemoryLocker): with several web processes, route one upload's requests to one
 * process (sticky sessions) or share the folder and accept tus's at-least-once PATCH semantics.
 */
export function createResumableUploads(deps: AppDeps, options: ResumableUploadOptions) {
  const directory = path.join(deps.config.dataDir, options.folder);
  mkdirSync(directory, { recursive: true });
  const contexts = new WeakMap<Request, UploadRequestContext>();
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: 7 * 24 * 3600 * 1000 });
  /** Uploads whose first bytes passed `head.check` in this process. */
  const headChecked = new Set<string>();
  const max = () => formatBytes(deps.config.maxUploadBytes);

  /** The partial file and its metadata file go (FileStore.remove keeps the metadata when the file was moved away). */
  const discard = async (id: string) => {
    headChecked.delete(id);
    await rm(path.join(directory, id), { force: true });
    await rm(path.join(directory, `${id}.json`), { force: true });
  };

  const contextOf = (req: Request): UploadRequestContext => {
    const context = contexts.get(req);
    if (!context) throw { status_code: 401, body: JSON.stringify({ error: { code: 'login_required', message: 'login required' } }) };
    return context;
  };

  const server = new Server({
    path: options.path,
    datastore,
    locker: new MemoryLocker(),
    relativeLocation: true,
    maxSize: deps.config.maxUploadBytes,
    respectForwardedHeaders: deps.config.trustProxy,
    allowedOrigins: [new URL(deps.config.publicUrl).origin],
    onResponseError(req, error) {
      const context = contexts.get(req as unknown as Request);
      if (context && isDiskFull(error)) {
        deps.log.error({ err: error }, 'the disk is full: an upload could not be written');
        return refuseUpload(507, 'storage_full', context.t, 'error.storage_full');
      }
      const status = 'status_code' in error ? error.status_code : 500;
      const ours = 'body' in error && typeof error.body === 'string' && error.body.startsWith('{');
      if (!context || ours) return undefined;
      return refuseUpload(status, `tus_${status}`, context.t, TUS_ERROR_MESSAGES[status] ?? 'upload.protocol_error', { max: max() });
    },
    async onUploadCreate(req, upload) {
      const who = contextOf(req as unknown as Request);
      const { t } = who;
      const metadata = Object.fromEntries(Object.entries(upload.metadata ?? {}).map(([k, v]) => [k, v ?? '']));
      if (upload.size === undefined) throw refuseUpload(400, 'length_required', t, 'upload.length_required');
      if (upload.size > deps.config.maxUploadBytes) throw refuseUpload(413, 'too_large', t, 'upload.too_large', { max: max() });
      if (upload.size > 0 && !metadata.filename) throw refuseUpload(400, 'filename_required', t, 'upload.filename_required');
      return { metadata: await options.accept({ size: upload.size, metadata }, who) };
    },
    async onIncomingRequest(req, uploadId) {
      const { user, t } = contextOf(req as unknown as Request);
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      const upload = await datastore.getUpload(uploadId).catch(() => undefined);
      if (upload && upload.metadata?.userId !== user.id) throw refuseUpload(403, 'forbidden', t, 'error.forbidden');
    },
    async onUploadFinish(req, upload) {
      const who = contextOf(req as unknown as Request);
      try {
        return await options.finish(received(directory, upload), who);
      } finally {
        await discard(upload.id);
      }
    },
  });

  /**
   * Before tus writes a PATCH that brings the file past `head.bytes`: reads that much of the body (plus what
   * earlier PATCHes wrote), checks it, and either refuses the upload at once or hands tus the same bytes.
   */
  async function checkHead(req: Request, who: UploadRequestContext): Promise<Request | Response> {
    const head = options.head;
    const offset = Number(req.headers.get('upload-offset'));
    const id = decodeURIComponent(new URL(req.url).pathname.split('/').pop() ?? '');
    if (!head || !req.body || !Number.isSafeInteger(offset) || offset >= head.bytes || headChecked.has(id) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) return req;
    const upload = await datastore.getUpload(id).catch(() => undefined);
    // Someone else's upload, or an offset tus will refuse: tus answers those.
    if (!upload || upload.offset !== offset || upload.metadata?.userId !== who.user.id) return req;
    const wanted = Math.min(head.bytes, upload.size ?? head.bytes);
    const reader = req.body.getReader();
    const chunks: Uint8Array[] = [];
    let got = offset;
    let done = false;
    while (got < wanted) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        break;
      }
      chunks.push(next.value);
      got += next.value.byteLength;
    }
    if (got >= wanted) {
      const headPath = path.join(directory, `${id}.head`);
      try {
        const file = await open(headPath, 'w');
        try {
          if (offset > 0) {
            const before = await open(path.join(directory, id), 'r');
            try {
              const prefix = Buffer.alloc(offset);
              await before.read(prefix, 0, offset, 0);
              await file.write(prefix);
            } finally {
              await before.close();
            }
          }
          for (const chunk of chunks) await file.write(chunk);
        } finally {
          await file.close();
        }
        await head.check(headPath, received(directory, upload), who.t);
        headChecked.add(id);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        await reader.cancel().catch(() => undefined);
        await discard(id);
        return new Response(error.body, { status: error.status_code, headers: { 'Content-Type': 'application/json', 'Tus-Resumable': '1.0.0' } });
      } finally {
        await rm(headPath, { force: true });
      }
    }
    // The same bytes for tus: what was read, then the rest of the body.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        if (done) controller.close();
      },
      async pull(controller) {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal, duplex: 'half' } as RequestInit);
  }

  return {
    /** Handles one tus request for an authenticated Studio user. */
    async handle(req: Request, context: UploadRequestContext): Promise<Response> {
      const checked = req.method === 'PATCH' ? await checkHead(req, context) : req;
      if (checked instanceof Response) return checked;
      contexts.set(checked, context);
      return server.handleWeb(checked);
    },
    directory,
  };
}
