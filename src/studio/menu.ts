import type { MessageKey } from '../core/i18n/index.js';

/** A link to one of a channel's Studio pages, shown on the Studio home for each channel. */
export interface StudioMenuEntry {
  href(handle: string): string;
  label: MessageKey;
  /** The least channel role that sees the link (the page checks rights itself). */
  role: 'editor' | 'admin';
  /** Position among the links: lower first (videos 10, settings 20, team 30, money 40–70, sharing 80–90). */
  order: number;
}

/** The links of `menu` a member of a channel's team with `role` may open (none without a role). */
export function entriesFor(menu: readonly StudioMenuEntry[], role: 'editor' | 'admin' | undefined): StudioMenuEntry[] {
  return role ? menu.filter((entry) => entry.role === 'editor' || role === 'admin') : [];
}

/** A link to a site-wide Studio page, shown to the owner on the Studio home. */
export interface StudioSiteLink {
  href: string;
  label: MessageKey;
}

/**
 * One step of a channel's first-run checklist on the Studio home (upload a video, set a tip minimum…).
 * It ticks itself: `done` reads whether the channel has done it. Contributed through `studio.first-steps`.
 */
export interface StudioFirstStep {
  label: MessageKey;
  href(handle: string): string;
  /** Position in the list: lower first. */
  order: number;
  done(channelId: string): Promise<boolean>;
}
