/**
 * Bounces and complaints coming back to the site. The site's mail server delivers what arrives at the
 * bounce mailbox (and the feedback-loop address) to `POST /webhooks/mail/inbound` as the raw message,
 * with the bearer token INBOUND_MAIL_TOKEN (README, "Bounces and complaints"). A report counts only for
 * an address we wrote to, proven by the VERP tag of the address it came back to (`bounces+<tag>@…`,
 * an HMAC of the recipient) or by our Message-ID in the attached original (`<mailing.address@host>`,
 * with that delivery on record): a forged report cannot silence someone else's address.
 */
import type { AppDeps } from '../core/deps.js';
import { configSection } from '../core/config.js';
import { communityConfig } from './config.js';
import { readMailReport, type MailReport } from './mail-reports.js';
import { suppressAddress, tagMatches, tagOfReturnPath } from './suppressions.js';

export type InboundOutcome =
  | { outcome: 'bounced' | 'complained'; address: string; detail: string }
  | { outcome: 'ignored'; reason: 'not a report' | 'not a permanent failure' | 'not ours' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The address our Message-ID names, when that delivery is on record. */
async function addressOfMessageId(deps: AppDeps, messageId: string | undefined): Promise<string | undefined> {
  const host = new URL(deps.config.publicUrl).hostname;
  const m = /^<([0-9a-f-]{36})\.([A-Za-z0-9_-]{1,400})@([^>]+)>$/.exec(messageId ?? '');
  if (!m || m[3] !== host || !UUID.test(m[1]!)) return undefined;
  const email = Buffer.from(m[2]!, 'base64url').toString('utf8').toLowerCase();
  const rows = await deps.db.query('SELECT 1 FROM community_deliveries WHERE mailing_id = $1 AND email = $2', [m[1], email]);
  return rows.length > 0 ? email : undefined;
}

/** The address we wrote to that the report is about, proven by its VERP tag or our Message-ID. */
async function provenAddress(deps: AppDeps, report: MailReport): Promise<string | undefined> {
  const byMessageId = await addressOfMessageId(deps, report.originalMessageId);
  if (byMessageId) return byMessageId;
  const { bounceAddress } = configSection(deps.config, communityConfig);
  if (!bounceAddress) return undefined;
  const tags = report.deliveredTo.flatMap((a) => tagOfReturnPath(bounceAddress, a) ?? []);
  const candidates = [...report.recipients, ...(report.originalTo ? [report.originalTo] : [])];
  return candidates.find((email) => tags.some((tag) => tagMatches(deps.signingSecret, tag, email)));
}

/** Applies a raw bounce or feedback report: a permanent failure or a complaint suppresses the address. */
export async function receiveMailReport(deps: AppDeps, raw: string): Promise<InboundOutcome> {
  const report = readMailReport(raw);
  if (!report) return { outcome: 'ignored', reason: 'not a report' };
  if (report.kind === 'delay' || report.kind === 'not-spam') return { outcome: 'ignored', reason: 'not a permanent failure' };
  const address = await provenAddress(deps, report);
  if (!address) return { outcome: 'ignored', reason: 'not ours' };
  const reason = report.kind === 'bounce' ? 'bounced' : 'complained';
  await deps.db.transaction((tx) => suppressAddress(tx, { email: address, reason, detail: report.detail, at: deps.clock.now() }));
  return { outcome: reason, address, detail: report.detail };
}
