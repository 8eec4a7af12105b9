/** The one moderation vocabulary (see CONTEXT.md): every moderated thing is in one of these states. */
export const MODERATION_STATUSES = ['held', 'approved', 'rejected'] as const;
export type ModerationStatus = (typeof MODERATION_STATUSES)[number];
/** What a moderator decides about a held item. */
export type ModerationDecision = Exclude<ModerationStatus, 'held'>;

export function isModerationDecision(value: unknown): value is ModerationDecision {
  return value === 'approved' || value === 'rejected';
}
