import { NotFoundError } from '../core/http/errors.js';
import type { HeldItem, ModerationSource } from './sources.js';
import type { ModerationDecision } from './vocabulary.js';

/** Everything held for a channel, source by source, in the order the sources were listed. */
export async function heldForChannel(sources: readonly ModerationSource[], channelId: string): Promise<{ source: ModerationSource; items: HeldItem[] }[]> {
  return Promise.all(sources.map(async (source) => ({ source, items: await source.held(channelId) })));
}

/** Applies a decision through the source that owns the item; 404 when no held item of this channel matches. */
export async function moderate(sources: readonly ModerationSource[], channelId: string, kind: string, id: string, decision: ModerationDecision): Promise<void> {
  const source = sources.find((s) => s.kind === kind);
  if (!source || !(await source.decide(channelId, id, decision))) throw new NotFoundError('moderation.not_found');
}
