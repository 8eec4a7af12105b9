/**
 * "The channel moved" e-mail: to every active e-mail or account follower of the channel and every member
 * in good standing, once each, in their language, with the community's one-click unsubscribe (RFC 8058).
 * One durable job per address (deduplicated by move and address), spread over time: a restart sends
 * what is left, and nobody gets it twice from the queue.
 */
import { contactsOf } from '../accounts/index.js';
import { activeFollowersWanting, signLink } from '../community/index.js';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { translator, type Locale } from '../core/i18n/index.js';
import { enqueue, PermanentJobError, type JobHandler } from '../core/jobs/index.js';
import type { MailMessage } from '../core/mail/index.js';
import { liveMembers } from '../funding/memberships/index.js';

export const MOVED_MAIL_JOB = 'moving.mail';
/** E-mails queued per second of `run_at`: a large audience is told over minutes, not in one burst. */
export const MOVED_MAILS_PER_SECOND = 5;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const asLocale = (l: string | null | undefined): Locale => (l === 'fr' ? 'fr' : 'en');

/** One person to tell, with the token of their unsubscribe link. */
export interface MovedRecipient {
  email: string;
  language: Locale;
  unsubscribe: string;
}

/** Active followers (e-mail and account) and members in good standing, once per address. */
export async function movedRecipients(deps: AppDeps, db: Queryable, channelId: string): Promise<MovedRecipient[]> {
  const secret = deps.signingSecret;
  const byId = new Map<string, Awaited<ReturnType<typeof activeFollowersWanting>>[number]>();
  for (const what of ['videos', 'posts', 'members'] as const) for (const f of await activeFollowersWanting(db, channelId, what)) byId.set(f.id, f);
  const followers = [...byId.values()];
  const contacts = new Map((await contactsOf(db, followers.flatMap((f) => (f.user_id ? [f.user_id] : [])))).map((u) => [u.id, u]));
  const out = new Map<string, MovedRecipient>();
  for (const f of followers) {
    const contact = f.user_id ? contacts.get(f.user_id) : undefined;
    const email = f.email ?? contact?.email;
    if (email) out.set(email, { email, language: asLocale(contact?.language ?? f.language), unsubscribe: signLink(secret, { purpose: 'unsubscribe', followerId: f.id }) });
  }
  // Members are told where their membership went even without a follow (it is about what they pay for).
  for (const m of await liveMembers(db, channelId, deps.clock.now())) {
    if (!out.has(m.email)) out.set(m.email, { email: m.email, language: asLocale(m.language), unsubscribe: signLink(secret, { purpose: 'unsubscribe-member', channelId, userId: m.user_id }) });
  }
  return [...out.values()];
}

/** Queues one e-mail per recipient in `tx` (the move's transaction). Returns how many. */
export async function queueMovedMails(deps: AppDeps, tx: Queryable, move: { channelId: string; channelName: string; moveId: string; newUrl: string }): Promise<number> {
  const recipients = await movedRecipients(deps, tx, move.channelId);
  const start = deps.clock.now().getTime();
  for (const [i, r] of recipients.entries()) {
    await enqueue(
      tx,
      {
        type: MOVED_MAIL_JOB,
        payload: { ...r, channelId: move.channelId, channelName: move.channelName, newUrl: move.newUrl, moveId: move.moveId },
        runAt: new Date(start + Math.floor(i / MOVED_MAILS_PER_SECOND) * 1000),
        dedupeKey: `moving-mail:${move.moveId}:${r.email}`,
        maxAttempts: 10,
      },
      deps.clock,
    );
  }
  return recipients.length;
}

/** The e-mail itself, text and HTML, with the one-click unsubscribe headers. */
export function movedMessage(o: { to: string; language: Locale; channelName: string; newUrl: string; unsubscribeUrl: string; messageId: string }): MailMessage {
  const t = translator(o.language);
  const subject = t('moving.mail_subject', { channel: o.channelName });
  const text = t('moving.mail_text', { channel: o.channelName });
  const footer = t('moving.mail_footer', { channel: o.channelName });
  const unsubscribe = t('moving.mail_unsubscribe');
  return {
    to: o.to,
    subject,
    text: `${text}\n\n${o.newUrl}\n\n-- \n${footer}\n${unsubscribe}: ${o.unsubscribeUrl}\n`,
    html:
      `<!doctype html><html lang="${o.language}"><body style="font-family:sans-serif;max-width:40em;margin:auto"><h1>${escapeHtml(subject)}</h1>` +
      `<p>${escapeHtml(text)}</p><p><a href="${escapeHtml(o.newUrl)}">${escapeHtml(t('moving.mail_button'))}</a></p>` +
      `<hr><p style="font-size:small;color:#555">${escapeHtml(footer)} <a href="${escapeHtml(o.unsubscribeUrl)}">${escapeHtml(unsubscribe)}</a></p></body></html>`,
    headers: { 'List-Unsubscribe': `<${o.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    messageId: o.messageId,
  };
}

/** Sends one queued "moved" e-mail. */
export function movedMailHandler(deps: AppDeps): JobHandler {
  const host = new URL(deps.config.publicUrl).hostname;
  return async ({ job }) => {
    const p = job.payload as Partial<MovedRecipient & { channelName: string; newUrl: string; moveId: string }>;
    if (typeof p.email !== 'string' || typeof p.unsubscribe !== 'string' || typeof p.newUrl !== 'string' || typeof p.channelName !== 'string') throw new PermanentJobError('malformed moved e-mail');
    await deps.mailer.send(movedMessage({
      to: p.email,
      language: asLocale(p.language),
      channelName: p.channelName,
      newUrl: p.newUrl,
      unsubscribeUrl: `${deps.config.publicUrl}/unsubscribe/${p.unsubscribe}`,
      messageId: `<moved.${String(p.moveId).replace(/[^A-Za-z0-9-]/g, '').slice(-36)}.${Buffer.from(p.email).toString('base64url')}@${host}>`,
    }));
    return { sent: p.email };
  };
}
