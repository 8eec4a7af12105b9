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
  /** A payment is recorded as succeeded in the ledger (once per payment, whatever the provider re-sends). */
  'payment.succeeded': { paymentId: string; purpose: string; channelId: string };
  /** Money of a succeeded payment went back: a refund or a dispute, recorded in the ledger. */
  'payment.reversed': { paymentId: string; purpose: string; channelId: string; kind: 'refund' | 'dispute' };
  /** A membership started, renewed, changed tier, lapsed or ended. */
  'membership.changed': { membershipId: string; channelId: string; status: string };
  /** Someone started following a channel (a remote ActivityPub actor today; accounts and e-mail later). */
  'follower.added': { channelId: string; follower: string; kind: 'remote' | 'account' | 'email' };
  /** Someone stopped following a channel. */
  'follower.removed': { channelId: string; follower: string; kind: 'remote' | 'account' | 'email' };
}

/** What changed about a video, for subscribers that care (federation sends an Update for all of them). */
export type VideoChange = 'metadata' | 'captions' | 'thumbnail' | 'renditions' | 'visibility' | 'publish-time';

export type EventName = keyof DomainEvents;
