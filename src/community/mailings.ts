/**
 * E-mailings: a post to the followers and members it is for, a new public video to the followers who want
 * videos. Each is a durable job over per-recipient rows (queued → sending → sent | bounced | failed),
 * throttled, and resumable: a worker killed mid-send leaves its claimed rows `sending` (of which at most
 * SEND_LANES were handed to the server and not yet marked sent) and the rest `queued`; the job runs again
 * and carries on from there.
 */
import { contactsOf } from '../accounts/index.js';
import { configSection } from '../core/config.js';
import type { AppDeps } from '../core/deps.js';
import type { Queryable } from '../core/db/index.js';
import { enqueue, PermanentJobError, type JobHandler } from '../core/jobs/index.js';
import { findChannelById } from '../channels/index.js';
import { findCampaign } from '../funding/campaigns/index.js';
import { findVideoById, isListed, thumbnailPath } from '../videos/index.js';
import { restrictedRecipients } from './audience.js';
import { communityConfig } from './config.js';
import * as dq from './delivery-queries.js';
import * as fq from './follower-queries.js';
import { mailingMessage, type MailingContent } from './mail.js';
import { findPostById, type PostRow } from './post-queries.js';
import { returnPathFor, suppressAddress } from './suppressions.js';
import { signLink } from './tokens.js';

export const SEND_MAILING_JOB = 'community.send-mailing';

const asLocale = (l: string | null | undefined): 'en' | 'fr' => (l === 'fr' ? 'fr' : 'en');

/** Followers wanting `what`, with the address to write to (an account's own address). */
async function followerRecipients(db: Queryable, channelId: string, what: 'videos' | 'posts' | 'campaigns'): Promise<dq.Recipient[]> {
  const followers = await fq.activeFollowersWanting(db, channelId, what);
  const contacts = new Map((await contactsOf(db, followers.flatMap((f) => (f.user_id ? [f.user_id] : [])))).map((u) => [u.id, u]));
  return followers.flatMap((f) => {
    const email = f.email ?? (f.user_id ? contacts.get(f.user_id)?.email : undefined);
    return email ? [{ email, followerId: f.id, userId: null, language: asLocale(f.user_id ? (contacts.get(f.user_id)?.language ?? f.language) : f.language) }] : [];
  });
}

/**
 * The recipients of a post: a backers-only post goes to the campaign's backers, a members-only one to the
 * members of its tiers; a public post to the followers who want posts and every member.
 */
export async function postRecipients(db: Queryable, post: PostRow, now: Date): Promise<dq.Recipient[]> {
  if (post.audience !== 'public') return restrictedRecipients(db, post, now);
  const members = await restrictedRecipients(db, { ...post, audience: 'members', tier_ids: [] }, now);
  const seen = new Set<string>();
  return [...(await followerRecipients(db, post.channel_id, 'posts')), ...members].filter((r) => !seen.has(r.email) && seen.add(r.email));
}

/** Creates a mailing (once per subject) with its recipients, and the job that sends it, in `tx`. */
export async function startMailing(deps: AppDeps, tx: Queryable, m: { channelId: string; kind: dq.MailingKind; subjectId: string; recipients: dq.Recipient[] }): Promise<string | undefined> {
  const now = deps.clock.now();
  const id = await dq.insertMailing(tx, { channelId: m.channelId, kind: m.kind, subjectId: m.subjectId, now });
  if (!id) return undefined;
  await dq.insertDeliveries(tx, id, m.recipients);
  await enqueue(tx, { type: SEND_MAILING_JOB, payload: { mailingId: id }, dedupeKey: `community-mailing:${id}`, maxAttempts: 20 }, deps.clock);
  return id;
}

/** On `video.changed`: a video that is now public and listed is e-mailed once to the followers who want videos. */
export async function mailNewVideo(deps: AppDeps, videoId: string): Promise<string> {
  const video = await findVideoById(deps.db, videoId);
  if (!video || video.visibility !== 'public' || !isListed(video, deps.clock.now())) return 'not public';
  const recipients = await followerRecipients(deps.db, video.channel_id, 'videos');
  const id = await deps.db.transaction((tx) => startMailing(deps, tx, { channelId: video.channel_id, kind: 'video', subjectId: video.id, recipients }));
  return id ? `mailing ${id} to ${recipients.length}` : 'already mailed';
}

/**
 * On `campaign.launched`: the campaign is e-mailed once to the followers who chose campaign updates (the
 * choice every follower has had since following). Its backers-only posts go to its backers instead.
 */
export async function mailCampaignLaunch(deps: AppDeps, campaignId: string): Promise<string> {
  const campaign = await findCampaign(deps.db, campaignId);
  if (!campaign || campaign.state !== 'live') return 'not live';
  const recipients = await followerRecipients(deps.db, campaign.channel_id, 'campaigns');
  const id = await deps.db.transaction((tx) => startMailing(deps, tx, { channelId: campaign.channel_id, kind: 'campaign', subjectId: campaign.id, recipients }));
  return id ? `mailing ${id} to ${recipients.length}` : 'already mailed';
}

async function contentOf(deps: AppDeps, mailing: dq.MailingRow): Promise<MailingContent | undefined> {
  const channel = await findChannelById(deps.db, mailing.channel_id);
  if (!channel) return undefined;
  const url = (path: string) => `${deps.config.publicUrl}${path}`;
  if (mailing.kind === 'video') {
    const video = await findVideoById(deps.db, mailing.subject_id);
    if (!video) return undefined;
    const poster = thumbnailPath(video);
    return { kind: 'video', channelName: channel.name, title: video.title, url: url(`/v/${video.short_id}`), posterUrl: poster ? url(poster) : undefined };
  }
  if (mailing.kind === 'campaign') {
    const campaign = await findCampaign(deps.db, mailing.subject_id);
    return campaign ? { kind: 'campaign', channelName: channel.name, title: campaign.title, url: url(`/c/${channel.handle}/campaigns/${campaign.slug}`) } : undefined;
  }
  const post = await findPostById(deps.db, mailing.subject_id);
  if (!post) return undefined;
  return { kind: 'post', channelName: channel.name, title: post.title, url: url(`/c/${channel.handle}/posts/${post.slug}`), text: post.body, html: post.body_html };
}

/** A permanent refusal by the receiving server (5xx): the address bounced. */
function isBounce(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Messages written at once by one mailing run. Each lane takes a claimed row, hands its message to the
 * mailer and marks it sent, while the others' messages are on the wire, so the database round trips overlap
 * the SMTP dialogue. It is also the most messages whose fate a crash leaves unknown: resent, with the same
 * Message-ID, by the next run.
 */
export const SEND_LANES = 4;

/**
 * Rows claimed by one statement. Claims are one at a time per run, so one claim per message made the
 * database round trip the limit (141 vs 449 messages/s for a bare loop at 10,000 recipients); a batch
 * claimed but not yet sent costs nothing on a crash (those rows go for the first time on restart).
 */
const CLAIM_BATCH = 32;

/** Runs `fn` calls one after the other (the claims of a run's lanes: each sees the others' in-flight rows). */
function oneAtATime<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const run = tail.then(() => fn(...args));
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Sends one mailing to every recipient still queued (see the file comment and SEND_LANES). */
export function sendMailingHandler(deps: AppDeps): JobHandler {
  const { mailRatePerSecond, bounceAddress } = configSection(deps.config, communityConfig);
  const host = new URL(deps.config.publicUrl).hostname;
  return async ({ job, signal, reportProgress }) => {
    const { mailingId } = job.payload as { mailingId?: unknown };
    const mailing = typeof mailingId === 'string' ? await dq.findMailing(deps.db, mailingId) : undefined;
    if (!mailing) throw new PermanentJobError('no such mailing');
    const content = await contentOf(deps, mailing);
    if (!content) return { sent: 0, reason: 'subject gone' };
    const gap = mailRatePerSecond > 0 ? 1000 / mailRatePerSecond : 0;
    // Rows this run holds (`sending`, not yet settled): claimed CLAIM_BATCH at a time, one claim at a time.
    const inFlight = new Set<string>();
    const claimed: dq.DeliveryRow[] = [];
    const next = oneAtATime(async () => {
      if (claimed.length === 0 && !signal.aborted && !failure) {
        const rows = await dq.claimBatch(deps.db, mailing.id, [...inFlight], CLAIM_BATCH);
        for (const r of rows) inFlight.add(r.email);
        claimed.push(...rows);
      }
      return claimed.shift();
    });
    let sent = 0;
    let failure: { error: unknown } | undefined;
    let nextSlot = Date.now();
    const lane = async () => {
      for (;;) {
        const row = await next();
        // A stopped run leaves its claimed rows `sending`: sent (again, for the one in flight) next time.
        if (!row || signal.aborted || failure) return;
        if (gap > 0) {
          // The throttle: each message takes the next free time slot of the run, `gap` apart.
          const slot = Math.max(nextSlot, Date.now());
          nextSlot = slot + gap;
          await sleep(slot - Date.now(), signal);
          if (signal.aborted) return;
        }
        const unsubscribe = row.follower_id
          ? signLink(deps.signingSecret, { purpose: 'unsubscribe', followerId: row.follower_id })
          : signLink(deps.signingSecret, { purpose: 'unsubscribe-member', channelId: mailing.channel_id, userId: row.user_id ?? '00000000-0000-0000-0000-000000000000' });
        const message = mailingMessage({
          to: row.email, language: row.language, content,
          unsubscribeUrl: `${deps.config.publicUrl}/unsubscribe/${unsubscribe}`,
          messageId: `<${mailing.id}.${Buffer.from(row.email).toString('base64url')}@${host}>`,
        });
        if (bounceAddress) message.envelope = { from: returnPathFor(deps.signingSecret, bounceAddress, row.email), to: row.email };
        let accepted = false;
        try {
          await deps.mailer.send(message);
          accepted = true;
        } catch (error) {
          const bounced = isBounce(error);
          const text = error instanceof Error ? error.message : String(error);
          await dq.settleDelivery(deps.db, mailing.id, row.email, { status: bounced ? 'bounced' : row.attempts >= 5 ? 'failed' : 'queued', error: text, at: deps.clock.now() });
          inFlight.delete(row.email);
          if (bounced) await suppressAddress(deps.db, { email: row.email, reason: 'bounced', detail: String((error as { responseCode?: number }).responseCode), at: deps.clock.now() });
          else if (row.attempts < 5) {
            failure ??= { error }; // the server may be down: the job is retried later with backoff
            return;
          }
        }
        if (!accepted) continue;
        // Settled before this lane sends again: a crash leaves at most one message per lane of unknown fate.
        await dq.settleDelivery(deps.db, mailing.id, row.email, { status: 'sent', at: deps.clock.now() });
        inFlight.delete(row.email);
        sent += 1;
        if (sent % 100 === 0) void reportProgress(0, `${sent} sent`);
      }
    };
    await Promise.all(Array.from({ length: SEND_LANES }, lane));
    if (failure) throw failure.error;
    return { sent };
  };
}
