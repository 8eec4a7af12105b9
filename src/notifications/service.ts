import { findChannelById, listTeam } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { translator, type Locale, type MessageKey } from '../core/i18n/index.js';
import { enqueue } from '../core/jobs/index.js';
import * as q from './queries.js';

export const EMAIL_JOB = 'notifications.email';
export const DIGEST_JOB = 'notifications.digest';

/** What a source says happened; `dedupeKey` makes a repeated event add nothing. */
export interface NewNotification {
  channelId: string;
  kind: q.NotificationKind;
  params: q.NotificationRow['params'];
  link: string | null;
  dedupeKey: string;
}

/**
 * Records a notification and, when the team wants e-mails at once, queues its e-mail — in one
 * transaction, so a crash leaves either both or neither (the event's job is then run again).
 */
export async function notify(deps: AppDeps, n: NewNotification): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const id = await q.insertNotification(tx, { ...n, at: deps.clock.now() });
    if (!id) return;
    const mode = await q.emailMode(tx, n.channelId);
    if (mode === 'immediate') await enqueue(tx, { type: EMAIL_JOB, payload: { notificationId: id }, dedupeKey: `notification-email:${id}` }, deps.clock);
    if (mode === 'off') await q.markEmailed(tx, [id], deps.clock.now());
  });
}

/** An amount in minor units, in the reader's language (the currency says how many decimals). */
function formatAmount(minor: number, currency: string, locale: Locale): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** One notification as a sentence in `locale`. */
export function describe(n: Pick<q.NotificationRow, 'kind' | 'params'>, locale: Locale): string {
  const t = translator(locale);
  const p = n.params;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) values[k] = v === null ? '' : String(v);
  if (typeof p['amount'] === 'number' && typeof p['currency'] === 'string') values['amount'] = formatAmount(p['amount'], p['currency'], locale);
  if (n.kind === 'tip' || n.kind === 'tip_held') values['from'] = p['from'] ? String(p['from']) : t('notification.someone');
  return t(`notification.${n.kind}` as MessageKey, values);
}

/** The channel's admins, who receive its e-mails, and the language to write in (the channel's). */
async function recipients(deps: AppDeps, channelId: string) {
  const channel = await findChannelById(deps.db, channelId);
  if (!channel) return undefined;
  const admins = (await listTeam(deps.db, channelId)).filter((m) => m.role === 'admin');
  const locale: Locale = channel.language === 'fr' || channel.language === 'en' ? channel.language : deps.config.defaultLanguage;
  return { channel, admins, locale };
}

/**
 * Sends one notification to the channel's admins, once: a notification already e-mailed is skipped.
 * If the process dies between sending and marking, the job runs again and the e-mail may go twice —
 * never zero times.
 */
export async function sendNotificationEmail(deps: AppDeps, notificationId: string): Promise<void> {
  const n = await q.findNotification(deps.db, notificationId);
  if (!n || n.emailed_at) return;
  const to = await recipients(deps, n.channel_id);
  if (!to) return;
  const t = translator(to.locale);
  const text = describe(n, to.locale);
  const link = n.link ? `${deps.config.publicUrl}${n.link}` : `${deps.config.publicUrl}/studio/notifications`;
  for (const admin of to.admins) {
    await deps.mailer.send({ to: admin.email, subject: t('notification.email_subject', { channel: to.channel.name, text }), text: t('notification.email_body', { text, link }) });
  }
  await q.markEmailed(deps.db, [n.id], deps.clock.now());
}

/** Sends each due daily digest: one e-mail per channel admin listing what was not e-mailed yet. */
export async function sendDigests(deps: AppDeps): Promise<number> {
  const due = await q.channelsDueForDigest(deps.db, deps.clock.now());
  for (const channelId of due) {
    const to = await recipients(deps, channelId);
    const pending = await q.unsentNotifications(deps.db, channelId);
    if (!to || pending.length === 0) continue;
    const t = translator(to.locale);
    const lines = pending.map((n) => `- ${describe(n, to.locale)}`).join('\n');
    for (const admin of to.admins) {
      await deps.mailer.send({
        to: admin.email,
        subject: t('notification.digest_subject', { channel: to.channel.name, count: pending.length }),
        text: t('notification.digest_body', { lines, link: `${deps.config.publicUrl}/studio/notifications` }),
      });
    }
    await deps.db.transaction(async (tx) => {
      await q.markEmailed(tx, pending.map((n) => n.id), deps.clock.now());
      await q.markDigestSent(tx, channelId, deps.clock.now());
    });
  }
  return due.length;
}
