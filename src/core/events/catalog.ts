/**
 * The domain events of Fanfare: what happened, said once by the capability that owns it, for any other
 * capability to react to without being called. Each event's comment says what it promises to subscribers.
 * Payloads are JSON (they are stored in the jobs table) and carry ids, not rows: a subscriber reads the
 * current state when it runs, so a late or repeated delivery acts on the truth, not on a snapshot.
 *
 * A capability that owns a new event adds it here by declaration merging in its own folder
 * (`declare module '../core/events/catalog.js' { interface DomainEvents { … } }`).
 */
export interface DomainEvents {
  /**
   * Something a viewer or a follower can see of the video changed: its metadata, captions, thumbnail,
   * renditions (transcoding finished), visibility or publish time. Published in the writer's transaction.
   */
  'video.changed': { videoId: string; what: VideoChange };
  /** A transcode ended: the video is ready to watch, or failed for good (no retry left). Published once per outcome. */
  'video.transcoded': { videoId: string; channelId: string; outcome: 'ready' | 'failed' };
  /** The video is gone (its row is deleted or marked deleted); subscribers withdraw what they published of it. */
  'video.deleted': { videoId: string; channelId: string };
  /**
   * A payment is recorded as succeeded in the ledger (once per payment, whatever the provider re-sends).
   * `channelId` is null for a payment shared among several creators (a fan-budget charge).
   */
  'payment.succeeded': { paymentId: string; purpose: string; channelId: string | null };
  /** Money of a succeeded payment went back: a refund or a dispute, recorded in the ledger (`channelId` as above). */
  'payment.reversed': { paymentId: string; purpose: string; channelId: string | null; kind: 'refund' | 'dispute' };
  /** A membership started, renewed, changed tier, lapsed or ended. */
  'membership.changed': { membershipId: string; channelId: string; status: string };
  /** Someone started following a channel: a remote ActivityPub actor, a local account, or a confirmed e-mail address. */
  'follower.added': { channelId: string; follower: string; kind: 'remote' | 'account' | 'email' };
  /** Someone stopped following a channel. */
  'follower.removed': { channelId: string; follower: string; kind: 'remote' | 'account' | 'email' };
  /**
   * A fan-budget month was settled (its report is written): the fans charged, and each creator's share
   * recorded in the ledger. Published once per month, in the transaction that ends the settlement.
   */
  'fan-budget.settled': { month: string; charged: number; succeeded: number; unpaid: number };
  /** A fan's budget charge for a month was paid and split among the creators they supported. */
  'fan-budget.charge-paid': { month: string; chargeId: string; userId: string | null; channelIds: string[] };
  /** A fan's budget charge for a month finally failed after its retries: nothing of it was credited. */
  'fan-budget.charge-unpaid': { month: string; chargeId: string; userId: string | null };
  /**
   * A fan's comment under a video or a post is shown (approved at once, or approved later by the team).
   * Of `videoId` and `postId`, exactly one is set in every comment event: what the comment answers.
   */
  'comment.created': { commentId: string; videoId: string | null; postId: string | null; channelId: string; authorId: string; parentId: string | null };
  /** A shown comment's text was edited by its author (federation sends an Update of its Note). */
  'comment.edited': { commentId: string; videoId: string | null; postId: string | null; channelId: string };
  /** A comment was deleted by its author or the channel's team (federation sends a Delete if it was shown). */
  'comment.deleted': { commentId: string; videoId: string | null; postId: string | null; channelId: string };
  /** A fan's comment waits for the team's approval (the channel's policy or a watched word held it). */
  'comment.held': { commentId: string; videoId: string | null; postId: string | null; channelId: string; authorId: string };
  /** A fan reported a shown comment or a post for the first time (later reports of the same thing publish nothing). */
  'content.reported': { channelId: string; kind: 'comment' | 'post'; id: string };
  /** A channel's comments were opened or closed (its comment policy changed to or from `closed`), at `changedAt` (ISO). */
  'comments.policy-changed': { channelId: string; closed: boolean; changedAt: string };
  /** The creator published a post (public, or for members of some tiers); its e-mails are already queued. */
  'post.published': { postId: string; channelId: string; audience: 'public' | 'members' | 'backers' };
  /** The creator edited a post's title or text (its e-mails are not sent again; federation sends an Update). */
  'post.edited': { postId: string; channelId: string; audience: 'public' | 'members' | 'backers' };
  /** The creator deleted a post (its row is gone; federation sends a Delete of a public post's Article). */
  'post.deleted': { postId: string; channelId: string; audience: 'public' | 'members' | 'backers' };
}

/** What changed about a video, for subscribers that care (federation sends an Update for all of them). */
export type VideoChange = 'metadata' | 'captions' | 'thumbnail' | 'renditions' | 'visibility' | 'publish-time';

export type EventName = keyof DomainEvents;
