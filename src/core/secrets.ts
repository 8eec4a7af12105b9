import type { Db } from './db/index.js';
import { randomToken } from './crypto.js';

/**
 * The site's signing secret: `SECRET` from the environment when set, else one generated on first
 * start and kept in the database so every process of the site signs alike and restarts keep it.
 */
export async function loadSigningSecret(db: Db, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv;
  await db.query(
    `INSERT INTO instance_secrets (name, value) VALUES ('signing', $1) ON CONFLICT (name) DO NOTHING`,
    [randomToken(48)],
  );
  const rows = await db.query<{ value: string }>(`SELECT value FROM instance_secrets WHERE name = 'signing'`);
  return rows[0]!.value;
}
