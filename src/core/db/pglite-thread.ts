import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { PGLITE_SETTINGS } from './pglite-memory.js';
import { deserializeError, type Reply, type Request } from './pglite-protocol.js';
import type { Db, Queryable } from './types.js';

type Pending = { resolve: (reply: Reply & { ok: true }) => void; reject: (error: Error) => void };
type Outgoing = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Opens the embedded engine in a thread of its own. PGlite executes every query synchronously on the
 * thread that calls it; on the web thread, a busy database stalled everything else: under 200 viewers and
 * 20 tips a second, connections queued in the kernel while queries ran, and 1.6 % of requests waited ~30 s
 * (TCP retransmissions) before the app even saw them, while static files waited behind SQL. In its own
 * thread, the engine runs beside the web thread (on another core when there is one), as a PostgreSQL
 * server would. The semantics are PGlite's: one connection, queries queue, a transaction holds the queue
 * until it ends (a query on the root `Db` inside a transaction waits for it, as before).
 */
export async function openPgliteThread(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The worker is plain JavaScript, so it runs with no loader however the process was started.
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir, settings: PGLITE_SETTINGS }, execArgv: [] });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failed: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  worker.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply);
    else waiting.reject(deserializeError(reply.error));
  });
  const failAll = (error: Error) => {
    failed = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the embedded database thread exited (code ${code})`)));
  await ready;

  const send = (request: Outgoing): Promise<Reply & { ok: true }> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  };
  /** Waits for the end of transaction `tx` (reported under -tx). */
  const ended = (tx: number) =>
    new Promise<Reply & { ok: true }>((resolve, reject) => {
      if (failed) return reject(failed);
      pending.set(-tx, { resolve, reject });
    });

  const on = (tx?: number): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await send({ op: 'query', sql, params, tx })).rows as T[];
    },
    async exec(sql: string) {
      await send({ op: 'exec', sql, tx });
    },
  });
  const root = on();
  return {
    engine: 'pglite',
    query: root.query,
    exec: root.exec,
    async transaction(work) {
      const { tx } = await send({ op: 'begin' });
      const end = ended(tx!);
      let result;
      try {
        result = await work(on(tx));
      } catch (error) {
        await send({ op: 'end', tx: tx!, commit: false });
        await end.catch(() => undefined);
        throw error;
      }
      await send({ op: 'end', tx: tx!, commit: true });
      await end; // a failure at COMMIT (a deferred constraint) is the transaction's failure
      return result;
    },
    async close() {
      if (failed) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      await send({ op: 'close' });
      // The thread ends by itself once PGlite has closed and its port is shut. terminate() is only the
      // fallback: stopping a thread that holds WebAssembly from outside is where Node has crashed
      // (nodejs/node#47748; seen here as glibc aborting on a corrupted heap, rarely, in CI).
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(r, 5_000, false).unref())]);
      if (!stopped) await worker.terminate();
    },
  };
}
