// Messages between the web thread and the embedded engine's thread (pglite-thread.ts, pglite-worker.mjs).

export type Request =
  | { id: number; op: 'query'; sql: string; params: readonly unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/**
 * A reply carries the request's id; the end of a transaction (committed, rolled back, or failed at
 * COMMIT) is reported under the negative transaction id. Id 0 says the engine is open.
 */
export type Reply = { id: number; ok: true; rows?: unknown[]; tx?: number } | { id: number; ok: false; error: SerializedError };

/** A database error's fields that callers read (`code` 23505, `constraint`…), across the thread boundary. */
export type SerializedError = Record<string, unknown> & { message: string; name: string };

/** An Error on this side of the boundary with the same name, message and fields. */
export function deserializeError(data: SerializedError): Error {
  const error = new Error(data.message);
  const { stack: _stack, ...fields } = data;
  return Object.assign(error, fields);
}
