// A channel with something of everything the archive carries: videos with files (original, poster,
// HLS folder, caption), followers (an account, an e-mail, a remote actor), a membership tier and a
// member, a campaign with a backer, and a ledger (a payment, a split payment, a refund).
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../src/core/db/index.js';
import { recordPayment, recordRefund, recordSplitPayment } from '../../../src/funding/ledger/index.js';
import { money } from '../../../src/funding/money.js';
import type { MediaStorage } from '../../../src/core/storage/index.js';

export async function fillChannel(db: Queryable, storage: MediaStorage, channelId: string, otherChannelId: string): Promise<{ videoIds: string[] }> {
  const fan = (await db.query<{ id: string }>(`INSERT INTO users (email, display_name, language) VALUES ('fan@example.org', 'Fan', 'fr') RETURNING id`))[0]!.id;
  const videoIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const id = randomUUID();
    videoIds.push(id);
    await db.query(
      `INSERT INTO videos (id, short_id, channel_id, title, description, visibility, status, source_key, poster_key, hls_prefix, chapters, tags, duration_seconds)
       VALUES ($1, $2, $3, $4, 'Un film', 'public', 'ready', $5, $6, $7, '[{"start":0,"title":"Début"}]', '{court,film}', 12.5)`,
      [id, `short${i}abcdef`, channelId, `Film ${i}`, `videos/${id}/original.mp4`, `videos/${id}/poster.jpg`, `videos/${id}/hls`],
    );
    await storage.put(`videos/${id}/original.mp4`, Buffer.from(`original bytes of ${i} `.repeat(200)));
    await storage.put(`videos/${id}/poster.jpg`, Buffer.from(`poster ${i}`));
    await storage.put(`videos/${id}/hls/master.m3u8`, Buffer.from('#EXTM3U\n'));
    await storage.put(`videos/${id}/hls/720/seg0.m4s`, Buffer.from(`segment ${i}`));
    await storage.put(`videos/${id}/captions/fr.vtt`, Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n'));
    await db.query(`INSERT INTO video_captions (video_id, language, label, storage_key) VALUES ($1, 'fr', 'Français', $2)`, [id, `videos/${id}/captions/fr.vtt`]);
    await db.query(`INSERT INTO watch_positions (user_id, video_id, position_seconds) VALUES ($1, $2, 3)`, [fan, id]);
  }
  await db.query(`INSERT INTO federation_followers (channel_id, actor_uri, inbox_uri) VALUES ($1, 'https://third.example/users/bob', 'https://third.example/users/bob/inbox')`, [channelId]);
  await db.query(`INSERT INTO community_followers (channel_id, kind, user_id, status, consent_at) VALUES ($1, 'account', $2, 'active', now())`, [channelId, fan]);
  await db.query(`INSERT INTO community_followers (channel_id, kind, email, status, consent_at) VALUES ($1, 'email', 'reader@example.org', 'active', now())`, [channelId]);
  const tier = (await db.query<{ id: string }>(`INSERT INTO membership_tiers (channel_id, name, currency, monthly_price) VALUES ($1, 'Soutien', 'EUR', 500) RETURNING id`, [channelId]))[0]!.id;
  await db.query(
    `INSERT INTO memberships (channel_id, user_id, tier_id, billing_interval, status, current_period_start, current_period_end, provider, customer_ref)
     VALUES ($1, $2, $3, 'month', 'active', '2026-11-15T00:00:00Z', '2026-12-15T00:00:00Z', 'test', 'cus_test_fan')`,
    [channelId, fan, tier],
  );
  const at = new Date('2026-11-20T10:00:00Z');
  const paid = await recordPayment(db, {
    idempotencyKey: `test:pay:${randomUUID()}`, channelId, fanUserId: fan, source: 'membership', provider: 'test', externalRef: `ch_${randomUUID()}`,
    gross: money(500, 'EUR'), processorFee: money(40, 'EUR'), platformFeeBps: 0, occurredAt: at,
  });
  await recordSplitPayment(db, {
    idempotencyKey: `test:split:${randomUUID()}`, fanUserId: fan, source: 'fan_budget', provider: 'test', externalRef: `ch_${randomUUID()}`,
    gross: money(1000, 'EUR'), processorFee: money(50, 'EUR'), platformFeeBps: 0, occurredAt: at,
    shares: [{ channelId, weight: 3 }, { channelId: otherChannelId, weight: 1 }],
  });
  await recordRefund(db, { idempotencyKey: `test:refund:${randomUUID()}`, paymentTransactionId: paid.transactionId, amount: money(100, 'EUR'), externalRef: `re_${randomUUID()}`, occurredAt: at });
  return { videoIds };
}
