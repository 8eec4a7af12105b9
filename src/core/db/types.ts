/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one parameterized statement ($1, $2…) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The one interface both engines (embedded PGlite, PostgreSQL server) offer.
 * Both speak the same PostgreSQL dialect; int8 values come back as JS numbers on both.
 */
export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes connections cleanly; queries after this fail. */
  close(): Promise<void>;
}

/** First row or undefined. */
export function first<T>(rows: T[]): T | undefined {
  return rows[0];
}

/** True when `error` is PostgreSQL's unique_violation (23505), optionally on a given constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  if (!e || e.code !== '23505') return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
