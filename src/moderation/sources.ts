import type { MessageKey } from '../core/i18n/index.js';
import type { ModerationDecision } from './vocabulary.js';

/** One held item, as the moderation page shows it. */
export interface HeldItem {
  /** The source's own id (a payment id, a note's URI). */
  id: string;
  /** Who wrote it: a display name, an actor URI, or null when anonymous. */
  author: string | null;
  /** A link to the author or the original, when there is one. */
  authorUrl: string | null;
  /** Plain text, or sanitized HTML when `html` is true. */
  text: string;
  html: boolean;
  /** What it answers (a video title), when known. */
  about: string | null;
  receivedAt: Date;
}

/** A capability that holds things for moderation; it applies decisions to its own rows. */
export interface ModerationSource {
  /** Unique, kebab-case, used in forms: `tip-message`, `remote-reply`. */
  kind: string;
  /** Heading of its list on the moderation page. */
  label: MessageKey;
  held(channelId: string): Promise<HeldItem[]>;
  /** Applies the decision if the item is this channel's and still held; false otherwise. */
  decide(channelId: string, id: string, decision: ModerationDecision): Promise<boolean>;
}
