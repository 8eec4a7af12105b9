/**
 * Notifications: what happens on a channel, told to its team — in the Studio (a bell with the unread
 * count, a page) and by e-mail (each at once, a daily digest, or none: the team's choice). Built on the
 * domain events: each source is one subscription, delivered as a durable job in the writer's
 * transaction, so nothing is lost on a crash; a dedupe key per happening makes repeats harmless.
 * Adding a source (comments, campaigns, fan budget): see CONTEXT.md.
 */
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { notificationRoutes, studioBell } from './routes.js';
import { DIGEST_JOB, EMAIL_JOB, sendDigests, sendNotificationEmail } from './service.js';
import { campaignEnded, commentHeld, commentMentioned, contentReported, followerAdded, membershipChanged, tipPaid, videoTranscoded } from './sources.js';

export { notify, type NewNotification } from './service.js';

export const notificationsCapability = defineCapability({
  name: 'notifications',
  messages: { en, fr },
  routes: [{ area: 'studio', path: '/studio', build: (ctx) => notificationRoutes(ctx.deps) }],
  jobs: (ctx) => ({
    [EMAIL_JOB]: async ({ job }) => sendNotificationEmail(ctx.deps, (job.payload as { notificationId: string }).notificationId),
    [DIGEST_JOB]: async () => ({ digests: await sendDigests(ctx.deps) }),
  }),
  // Digests go out a day apart per channel; checking every hour keeps that within the hour.
  recurring: [{ type: DIGEST_JOB, everySeconds: () => 3600 }],
  subscriptions: {
    'payment.succeeded': (ctx) => (event) => tipPaid(ctx.deps, event),
    'membership.changed': (ctx) => (event) => membershipChanged(ctx.deps, event),
    'follower.added': (ctx) => (event, meta) => followerAdded(ctx.deps, event, meta),
    'video.transcoded': (ctx) => (event, meta) => videoTranscoded(ctx.deps, event, meta),
    'comment.held': (ctx) => (event) => commentHeld(ctx.deps, event),
    'comment.mentioned': (ctx) => (event) => commentMentioned(ctx.deps, event),
    'content.reported': (ctx) => (event) => contentReported(ctx.deps, event),
    'campaign.ended': (ctx) => (event) => campaignEnded(ctx.deps, event),
  },
  contributes: {
    'studio.header': (ctx) => (env) => studioBell(ctx.deps, env),
  },
  tables: {
    notifications: { export: 'rows', scope: 'channel' },
    notification_settings: { export: 'rows', scope: 'channel' },
  },
});
