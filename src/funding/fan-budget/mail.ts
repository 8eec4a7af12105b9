// The fan's e-mails: the month's receipt (where the money went, per creator and per item) and the
// failed-charge notice with its on-session link (the dunning e-mail of memberships, in this model's words).
import type { AppDeps } from '../../core/deps.js';
import { translator, type Locale } from '../../core/i18n/index.js';
import { formatMoney, money } from '../money.js';
import type { ChargeRow } from './queries.js';

interface Recipient {
  email: string;
  locale: Locale;
}

async function recipientOf(deps: AppDeps, userId: string | null): Promise<Recipient | undefined> {
  if (!userId) return undefined;
  const row = (await deps.db.query<{ email: string; language: Locale | null }>('SELECT email, language FROM users WHERE id = $1', [userId]))[0];
  return row ? { email: row.email, locale: row.language ?? deps.config.defaultLanguage } : undefined;
}

/**
 * The month e-mail, sent once per paid charge: claimed by setting `emailed_at` before sending, so a
 * crash between the two loses the e-mail rather than sending it twice (the account page shows the same).
 */
export async function sendMonthEmail(deps: AppDeps, charge: ChargeRow): Promise<void> {
  const claimed = await deps.db.query('UPDATE fan_budget_charges SET emailed_at = now() WHERE id = $1 AND emailed_at IS NULL RETURNING id', [charge.id]);
  const to = claimed.length ? await recipientOf(deps, charge.user_id) : undefined;
  if (!to) return;
  const items = await deps.db.query<{ channel: string; title: string; video_id: string | null; net: number }>(
    `SELECT c.name AS channel, i.title, i.video_id, i.net::int AS net FROM fan_budget_charge_items i JOIN channels c ON c.id = i.channel_id
      WHERE i.charge_id = $1 ORDER BY c.name, i.line`,
    [charge.id],
  );
  const t = translator(to.locale);
  const fmt = (amount: number) => formatMoney(money(amount, charge.currency), to.locale);
  const byCreator = new Map<string, { total: number; lines: string[] }>();
  for (const item of items) {
    const entry = byCreator.get(item.channel) ?? { total: 0, lines: [] };
    entry.total += item.net;
    entry.lines.push(`   - ${item.video_id ? item.title : t('fan_budget.mail_channel_item')}: ${fmt(item.net)}`);
    byCreator.set(item.channel, entry);
  }
  const lines = [...byCreator].map(([channel, e]) => `* ${channel}: ${fmt(e.total)}\n${e.lines.join('\n')}`);
  await deps.mailer.send({
    to: to.email,
    subject: t('fan_budget.mail_subject', { month: charge.month }),
    text: t('fan_budget.mail_body', { month: charge.month, amount: fmt(charge.amount), items: items.length, creators: byCreator.size }) +
      `\n\n${lines.join('\n')}\n\n${t('fan_budget.mail_footer', { link: `${deps.config.publicUrl}/account/budget` })}`,
  });
}

/** Tells the fan their month's charge failed: when it is tried again, or that nothing was credited. */
export async function sendDunning(deps: AppDeps, charge: ChargeRow, status: 'retrying' | 'unpaid', code: string): Promise<void> {
  const to = await recipientOf(deps, charge.user_id);
  if (!to) return;
  const t = translator(to.locale);
  const amount = formatMoney(money(charge.amount, charge.currency), to.locale);
  const link = `${deps.config.publicUrl}/account/budget`;
  const body = code === 'authentication_required' ? 'fan_budget.dunning_authenticate' : status === 'unpaid' ? 'fan_budget.dunning_unpaid' : 'fan_budget.dunning_retry';
  await deps.mailer.send({ to: to.email, subject: t('fan_budget.dunning_subject', { month: charge.month }), text: t(body, { month: charge.month, amount, link }) });
}
