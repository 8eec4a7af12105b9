// The embedded engine's own thread (see pglite-thread.ts, which also defines the messages): owns the
// PGlite instance and answers the web thread. PGlite runs PostgreSQL compiled to WebAssembly
// synchronously on the thread that calls it; here that is this thread, so the web thread keeps accepting
// connections and serving files while a query runs. Plain JavaScript on purpose: a worker thread does not
// inherit the TypeScript loader in every way Fanfare is started (tsx CLI, node --import tsx, tests).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

const ERROR_FIELDS = ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'position', 'dataType', 'where'];

/** A database error's name, message and the fields callers read (`code` 23505, `constraint`…). */
function serializeError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out = { name: error.name, message: error.message };
  for (const field of ERROR_FIELDS) if (error[field] !== undefined) out[field] = error[field];
  return out;
}

class RollbackRequested extends Error {}

const port = parentPort;
// The same extensions and settings as the in-process engine (pglite.ts, pglite-memory.ts): unaccent for
// search (migration 018).
const pg = await PGlite.create({
  dataDir: workerData.dataDir,
  extensions: { unaccent },
  startParams: [...PGlite.defaultStartParams, ...workerData.settings],
});
/** Open transactions by id: each waits for its end message. */
const open = new Map();
let nextTx = 1;
const reply = (message) => port.postMessage(message);

function target(tx) {
  if (!tx) return pg;
  const entry = open.get(tx);
  if (!entry) throw new Error(`transaction ${tx} is not open`);
  return entry.tx;
}

async function run(request) {
  switch (request.op) {
    case 'query': {
      const result = await target(request.tx).query(request.sql, request.params);
      return reply({ id: request.id, ok: true, rows: result.rows });
    }
    case 'exec':
      await target(request.tx).exec(request.sql);
      return reply({ id: request.id, ok: true });
    case 'begin': {
      const txId = nextTx++;
      // PGlite's transaction holds its queue until the callback settles: other queries wait, as in-process.
      pg.transaction(
        (tx) =>
          new Promise((resolve, reject) => {
            open.set(txId, { tx, end: (commit) => (commit ? resolve() : reject(new RollbackRequested())) });
            reply({ id: request.id, ok: true, tx: txId });
          }),
      )
        .then(() => reply({ id: -txId, ok: true }))
        .catch((error) => reply(error instanceof RollbackRequested ? { id: -txId, ok: true } : { id: -txId, ok: false, error: serializeError(error) }))
        .finally(() => open.delete(txId));
      return;
    }
    case 'end': {
      const entry = open.get(request.tx);
      if (!entry) throw new Error(`transaction ${request.tx} is not open`);
      entry.end(request.commit);
      return reply({ id: request.id, ok: true });
    }
    case 'close':
      await pg.close();
      reply({ id: request.id, ok: true });
      port.close();
      return;
  }
}

port.on('message', (request) => {
  run(request).catch((error) => reply({ id: request.id, ok: false, error: serializeError(error) }));
});
reply({ id: 0, ok: true });
