import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import type { Queryable } from '../core/db/index.js';

/** Which local actor a key pair belongs to: the site owner's Person, the instance's Application, a channel's Group, or a commenter's Person. */
export type KeyOwner = { kind: 'owner' } | { kind: 'instance' } | { kind: 'channel'; channelId: string } | { kind: 'user'; userId: string };

const ALGORITHMS = ['RSASSA-PKCS1-v1_5', 'Ed25519'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

function ownerKey(owner: KeyOwner): { actor: string; channelId: string | null; userId: string | null } {
  if (owner.kind === 'owner' || owner.kind === 'instance') return { actor: owner.kind, channelId: null, userId: null };
  if (owner.kind === 'user') return { actor: `user:${owner.userId}`, channelId: null, userId: owner.userId };
  return { actor: `channel:${owner.channelId}`, channelId: owner.channelId, userId: null };
}

interface KeyRow {
  algorithm: Algorithm;
  private_jwk: JsonWebKey;
  public_jwk: JsonWebKey;
}

async function readKeys(db: Queryable, actor: string): Promise<KeyRow[]> {
  return db.query<KeyRow>('SELECT algorithm, private_jwk, public_jwk FROM federation_actor_keys WHERE actor = $1', [actor]);
}

/**
 * The actor's key pairs, RSA first (HTTP Signatures, which every server reads) then Ed25519 (proofs).
 * Generated on first use and stored; two processes racing both generate, but the first insert wins and
 * both return the stored pairs, so an actor's keys never change once published.
 */
export async function actorKeyPairs(db: Queryable, owner: KeyOwner): Promise<CryptoKeyPair[]> {
  const { actor, channelId, userId } = ownerKey(owner);
  let rows = await readKeys(db, actor);
  const missing = ALGORITHMS.filter((a) => !rows.some((r) => r.algorithm === a));
  if (missing.length) {
    for (const algorithm of missing) {
      const pair = await generateCryptoKeyPair(algorithm);
      await db.query(
        `INSERT INTO federation_actor_keys (actor, channel_id, user_id, algorithm, private_jwk, public_jwk)
         VALUES ($1, $2, $6, $3, $4::jsonb, $5::jsonb) ON CONFLICT (actor, algorithm) DO NOTHING`,
        [actor, channelId, algorithm, JSON.stringify(await exportJwk(pair.privateKey)), JSON.stringify(await exportJwk(pair.publicKey)), userId],
      );
    }
    rows = await readKeys(db, actor);
  }
  const ordered = ALGORITHMS.map((a) => rows.find((r) => r.algorithm === a)).filter((r): r is KeyRow => r !== undefined);
  return Promise.all(
    ordered.map(async (r) => ({ privateKey: await importJwk(r.private_jwk, 'private'), publicKey: await importJwk(r.public_jwk, 'public') })),
  );
}
