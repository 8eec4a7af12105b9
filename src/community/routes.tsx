import { Hono } from 'hono';
import { requireUser } from '../accounts/index.js';
import { channelForAdmin, findChannelByHandle, findChannelById, listChannels, listChannelsForUser, roleOnChannel, type ChannelRow } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { clientIp } from '../core/http/client-ip.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { BadRequestError, NotFoundError, UnauthorizedError, ValidationError } from '../core/http/errors.js';
import { configSection } from '../core/config.js';
import { safeEqual } from '../core/crypto.js';
import { communityConfig } from './config.js';
import { readForm, textFields, validateForm, type FormData } from '../core/http/form.js';
import { Layout, pageEnv, type PageEnv } from '../core/http/layout.js';
import type { MessageKey } from '../core/i18n/index.js';
import { channelIdentifier, countRemoteFollowers, followRemoteActor, parseHandle, remoteFollowUrl, type FederationServices } from '../federation/index.js';
import { findCampaign, listCampaigns } from '../funding/campaigns/index.js';
import { listTiers } from '../funding/memberships/index.js';
import { readsPost } from './audience.js';
import { canWatch, findVideoByShortId, type ViewerLookup, type VideoWithChannel } from '../videos/index.js';
import * as cq from './comment-queries.js';
import { commentPagePath, commentThread, deleteComment, editComment, postComment, saveSettings, type CommentTarget } from './comments.js';
import { deliveryCounts } from './delivery-queries.js';
import * as fq from './follower-queries.js';
import { confirmEmailFollower, followAsAccount, followByEmail, unfollowAsAccount, unsubscribeFollowerById, unsubscribeMember } from './follows.js';
import { ChoicesForm, CommentsSection, communityNotice, FollowBox, MessagePage, PostEditPage, PostPage } from './pages.js';
import { CommunityStudioPage } from './studio-page.js';
import { channelSuppressions } from './suppressions.js';
import { receiveMailReport } from './inbound.js';
import * as pq from './post-queries.js';
import { editPost, publishPost, removePost } from './posts.js';
import { choicesSchema, commentEditSchema, commentSchema, emailFollowSchema, postEditSchema, postSchema, remoteFollowSchema, reportSchema, settingsSchema } from './schema.js';
import { reportComment, reportPost } from './reports.js';
import { blockCommentAuthor, blockDomain, blockEmail, listBlocks, unblock } from './blocks.js';
import { contactsOf } from '../accounts/index.js';
import { readLink, signLink } from './tokens.js';

/** A form whose fields each come once: a field sent twice (`a=1&a=2`) is a malformed form, refused with 400. */
async function readSingleForm(c: AppContext): Promise<FormData> {
  const form = await readForm(c);
  const all = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  if (Object.values(all).some(Array.isArray)) throw new BadRequestError('error.malformed_form');
  return form;
}

export interface CommunityRouteDeps {
  deps: AppDeps;
  fed: () => FederationServices;
  viewers: ViewerLookup;
  studioAccess: (c: AppContext) => Promise<boolean>;
}

/** The Follow box for a channel, as the viewer stands. */
export async function followBox(deps: AppDeps, env: PageEnv, channel: { id: string; handle: string; name: string }) {
  const row = env.user ? await fq.findAccountFollower(deps.db, channel.id, env.user.id) : undefined;
  return FollowBox({ env, channel, following: row?.status === 'active' });
}

/** The comment thread of a video's or a post's page; its admins also get a "Block the author" button. */
export async function commentsBox(deps: AppDeps, env: PageEnv, target: CommentTarget, state?: Parameters<typeof CommentsSection>[0]['state']) {
  const channelId = target.kind === 'video' ? target.video.channel_id : target.post.channel_id;
  const subject = target.kind === 'video' ? { kind: 'video' as const, id: target.video.id } : { kind: 'post' as const, id: target.post.id };
  const handle = target.kind === 'video' ? target.video.channel_handle : ((await findChannelById(deps.db, channelId))?.handle ?? '');
  const page = target.kind === 'video' ? `/v/${target.video.short_id}` : `/c/${handle}/posts/${target.post.slug}`;
  const [thread, settings, count, role] = await Promise.all([
    commentThread(deps, target, env.user), cq.channelSettings(deps.db, channelId), cq.countComments(deps.db, subject), roleOnChannel(deps.db, env.user, channelId),
  ]);
  const blockAction = role === 'admin' ? `/studio/channels/${handle}/blocks` : undefined;
  return CommentsSection({ env, page, action: `${page}/comments`, blockAction, thread, count, policy: settings.comment_policy, state });
}

/** Follow, confirm, unsubscribe, comments and posts for fans; the Studio's community page. */
export function communityRoutes({ deps, fed, viewers, studioAccess }: CommunityRouteDeps) {
  const app = new Hono<AppEnv>();
  const account = new Hono<AppEnv>();
  const oneClick = new Hono<AppEnv>();
  const studio = new Hono<AppEnv>();
  const env = async (c: AppContext) => pageEnv(c, await studioAccess(c));
  const ip = (c: AppContext) => clientIp(c, deps.config.trustProxy);

  async function channelOr404(handle: string): Promise<ChannelRow> {
    const channel = /^[a-z0-9_]{2,30}$/i.test(handle) ? await findChannelByHandle(deps.db, handle.toLowerCase()) : undefined;
    if (!channel) throw new NotFoundError('channel.not_found');
    return channel;
  }
  const followFormAgain = async (c: AppContext, channel: ChannelRow, errors: Record<string, MessageKey>, values: Record<string, string>) => {
    const e = await env(c);
    return c.html(<Layout env={e} title={channel.name}>{FollowBox({ env: e, channel, following: false, state: { errors, values }, showEmail: 'email' in values })}</Layout>, 422);
  };

  // A signed-in fan's one button: follow, or (with `stop`) unfollow.
  app.post('/c/:handle/follow', async (c) => {
    const channel = await channelOr404(c.req.param('handle'));
    const user = requireUser(c);
    if ((await readSingleForm(c)).stop === '1') {
      await unfollowAsAccount(deps, channel, user);
      return c.redirect(`/c/${channel.handle}?notice=unfollowed`, 303);
    }
    await followAsAccount(deps, channel, user, c.var.locale);
    return c.redirect(`/c/${channel.handle}?notice=followed`, 303);
  });
  app.post('/c/:handle/follow/email', async (c) => {
    const channel = await channelOr404(c.req.param('handle'));
    const parsed = validateForm(emailFollowSchema, await readSingleForm(c));
    if (!parsed.ok) return followFormAgain(c, channel, parsed.errors, parsed.values);
    await followByEmail(deps, channel, { email: parsed.data.email, language: c.var.locale, client: ip(c) });
    return c.html(<MessagePage env={await env(c)} title="community.check_inbox_title" text={c.var.t('community.check_inbox', { email: parsed.data.email })} />);
  });
  app.post('/c/:handle/follow/remote', async (c) => {
    const channel = await channelOr404(c.req.param('handle'));
    const parsed = validateForm(remoteFollowSchema, await readSingleForm(c));
    if (!parsed.ok) return followFormAgain(c, channel, parsed.errors, parsed.values);
    const handle = parseHandle(parsed.data.handle)!;
    const services = fed();
    const target = services.context().getActorUri(channelIdentifier(channel.handle)).href;
    const url = await remoteFollowUrl(services, handle, target).catch(() => undefined);
    if (!url) return followFormAgain(c, channel, { handle: 'community.handle_unknown' }, { handle: parsed.data.handle });
    // A link, not a redirect: the site's CSP (form-action 'self') stops a form post redirected to another site.
    const e = await env(c);
    return c.html(
      <MessagePage env={e} title="community.remote_continue_title" text={c.var.t('community.remote_continue_text', { host: handle.host })}
        extra={<p><a href={url} rel="noopener">{c.var.t('community.remote_continue', { host: handle.host })}</a></p>} />,
    );
  });

  // The confirm link of the double opt-in: a page with one button (mail scanners that open links confirm nothing).
  app.get('/follow/confirm/:token', async (c) => {
    const link = readLink(deps.signingSecret, c.req.param('token'));
    if (link?.purpose !== 'confirm' || !(await fq.findFollower(deps.db, link.followerId))) throw new NotFoundError('community.link_invalid');
    return c.html(<MessagePage env={await env(c)} title="community.confirm_title" text={c.var.t('community.confirm_text')} action={c.req.path} button="community.confirm_button" />);
  });
  app.post('/follow/confirm/:token', async (c) => {
    const link = readLink(deps.signingSecret, c.req.param('token'));
    const row = link?.purpose === 'confirm' ? await confirmEmailFollower(deps, link.followerId) : undefined;
    if (!row || row.status !== 'active') throw new NotFoundError('community.link_invalid');
    return c.redirect(`/follow/choices/${signLink(deps.signingSecret, { purpose: 'unsubscribe', followerId: row.id })}?notice=confirmed`, 303);
  });

  // What a follower receives: the page behind every e-mail's link (the same token as the unsubscribe link).
  app.get('/follow/choices/:token', async (c) => {
    const row = await followerOfLink(c.req.param('token'));
    const e = await env(c);
    const channel = await findChannelById(deps.db, row.channel_id);
    return c.html(
      <MessagePage env={e} notice={communityNotice(c.req.url)} title="community.choices_title" text={c.var.t(row.status === 'active' ? 'community.following' : 'community.not_following', { channel: channel?.name ?? '' })}
        extra={<>
          <ChoicesForm env={e} action={c.req.path} choices={{ videos: row.wants_videos, posts: row.wants_posts, campaigns: row.wants_campaigns, members: row.wants_members }} />
          <p><a href={`/unsubscribe/${c.req.param('token')}`}>{c.var.t('community.unsubscribe')}</a></p>
        </>} />,
    );
  });
  app.post('/follow/choices/:token', async (c) => {
    const row = await followerOfLink(c.req.param('token'));
    const parsed = validateForm(choicesSchema, await readSingleForm(c));
    if (!parsed.ok) throw new BadRequestError('error.bad_request');
    await fq.saveChoices(deps.db, row.id, parsed.data, deps.clock.now());
    return c.redirect(`${c.req.path}?notice=choices_saved`, 303);
  });
  async function followerOfLink(token: string) {
    const link = readLink(deps.signingSecret, token);
    const row = link?.purpose === 'unsubscribe' ? await fq.findFollower(deps.db, link.followerId) : undefined;
    if (!row) throw new NotFoundError('community.link_invalid');
    return row;
  }

  // Unsubscribe: a page with one button for people; the same address takes RFC 8058's one-click POST
  // from mail clients (no CSRF token there: the signed link is the proof, so it lives in the webhook area).
  app.get('/unsubscribe/:token', async (c) => {
    if (!readLink(deps.signingSecret, c.req.param('token'))?.purpose.startsWith('unsubscribe')) throw new NotFoundError('community.link_invalid');
    return c.html(<MessagePage env={await env(c)} title="community.unsubscribe_title" text={c.var.t('community.unsubscribe_text')} action={c.req.path} button="community.unsubscribe" />);
  });
  oneClick.post('/unsubscribe/:token', async (c) => {
    const link = readLink(deps.signingSecret, c.req.param('token'));
    if (link?.purpose === 'unsubscribe') await unsubscribeFollowerById(deps, link.followerId);
    else if (link?.purpose === 'unsubscribe-member' && (await findChannelById(deps.db, link.channelId))) await unsubscribeMember(deps, link.channelId, link.userId);
    else throw new NotFoundError('community.link_invalid');
    if (!(c.req.header('accept') ?? '').includes('text/html')) return c.text('unsubscribed\n');
    return c.html(<MessagePage env={pageEnv(c)} title="community.unsubscribe_title" text={c.var.t('community.unsubscribed')} />);
  });

  // Bounces (RFC 3464) and complaints (RFC 5965) from the site's mail server, as raw messages (inbound.ts).
  oneClick.post('/webhooks/mail/inbound', async (c) => {
    const { inboundMailToken } = configSection(deps.config, communityConfig);
    if (!inboundMailToken) throw new NotFoundError('error.not_found');
    const given = /^Bearer (\S{1,200})$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!safeEqual(given, inboundMailToken)) throw new UnauthorizedError();
    const raw = await c.req.text();
    if (raw.trim() === '' || raw.includes('\u0000')) throw new BadRequestError('error.bad_request');
    return c.json(await receiveMailReport(deps, raw));
  });

  // Comments.
  async function watchableVideo(c: AppContext): Promise<VideoWithChannel> {
    const video = await findVideoByShortId(deps.db, c.req.param('shortId') ?? '');
    const now = deps.clock.now();
    if (!video || !canWatch(video, await viewers(deps.db, c.var.user, video.channel_id, now), now)) throw new NotFoundError('video.not_found');
    return video;
  }
  app.post('/v/:shortId/comments', async (c) => {
    const user = requireUser(c);
    const video = await watchableVideo(c);
    const parsed = validateForm(commentSchema, await readSingleForm(c));
    if (!parsed.ok) {
      const e = await env(c);
      return c.html(<Layout env={e} title={video.title}><p><a href={`/v/${video.short_id}`}>{video.title}</a></p>{await commentsBox(deps, e, { kind: 'video', video }, { errors: parsed.errors, values: parsed.values })}</Layout>, 422);
    }
    const row = await postComment(deps, { kind: 'video', video }, user, { body: parsed.data.body, parentId: parsed.data.parent_id, client: ip(c) });
    return c.redirect(`/v/${video.short_id}?notice=${row.status === 'held' ? 'comment_held' : 'comment_posted'}#comment-${row.id}`, 303);
  });
  app.post('/comments/:id/edit', async (c) => {
    const user = requireUser(c);
    const parsed = validateForm(commentEditSchema, await readSingleForm(c));
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    const row = await editComment(deps, c.req.param('id'), user, parsed.data.body);
    return c.redirect(`${await commentPage(row)}#comment-${row.id}`, 303);
  });
  app.post('/comments/:id/delete', async (c) => {
    const row = await deleteComment(deps, c.req.param('id'), requireUser(c));
    return c.redirect(`${await commentPage(row)}?notice=comment_removed#comments`, 303);
  });
  // The report button (comments and posts): the report waits in the channel's moderation queue.
  const reportReason = async (c: AppContext) => {
    const parsed = validateForm(reportSchema, await readSingleForm(c));
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    return parsed.data.reason;
  };
  app.post('/comments/:id/report', async (c) => {
    const user = requireUser(c);
    const row = await reportComment(deps, user, c.req.param('id'), await reportReason(c));
    return c.redirect(`${await commentPage(row)}?notice=reported#comment-${row.id}`, 303);
  });
  app.post('/c/:handle/posts/:slug/report', async (c) => {
    const user = requireUser(c);
    const { channel, post, locked } = await visiblePost(c);
    if (locked) throw new NotFoundError('community.post_not_found');
    await reportPost(deps, user, post, await reportReason(c));
    return c.redirect(`/c/${channel.handle}/posts/${post.slug}?notice=reported`, 303);
  });
  const commentPage = (row: cq.CommentRow) => commentPagePath(deps.db, row);

  // Posts: the page (locked for non-members when members-only) and its comments.
  async function visiblePost(c: AppContext) {
    const channel = await channelOr404(c.req.param('handle') ?? '');
    const post = await pq.findPostBySlug(deps.db, channel.id, c.req.param('slug') ?? '');
    if (!post) throw new NotFoundError('community.post_not_found');
    const user = c.var.user;
    const viewer = await viewers(deps.db, user, channel.id, deps.clock.now());
    return { channel, post, locked: !viewer.isTeam && !(await readsPost(deps.db, post, user?.id, deps.clock.now())) };
  }
  const postPage = async (c: AppContext, state?: Parameters<typeof CommentsSection>[0]['state']) => {
    const { channel, post, locked } = await visiblePost(c);
    const e = await env(c);
    const comments = locked ? undefined : await commentsBox(deps, e, { kind: 'post', post }, state);
    const campaign = post.campaign_id ? await findCampaign(deps.db, post.campaign_id) : undefined;
    const campaignPath = campaign ? `/c/${channel.handle}/campaigns/${campaign.slug}` : undefined;
    return c.html(<PostPage env={e} handle={channel.handle} channelName={channel.name} post={post} locked={locked} comments={comments} campaignPath={campaignPath} />, state ? 422 : 200);
  };
  app.get('/c/:handle/posts/:slug', (c) => postPage(c));
  app.post('/c/:handle/posts/:slug/comments', async (c) => {
    const user = requireUser(c);
    const { channel, post, locked } = await visiblePost(c);
    // Under a members-only post, others cannot even see the thread: the same 404 as an unknown post.
    if (locked) throw new NotFoundError('community.post_not_found');
    const parsed = validateForm(commentSchema, await readSingleForm(c));
    if (!parsed.ok) return postPage(c, { errors: parsed.errors, values: parsed.values });
    const row = await postComment(deps, { kind: 'post', post }, user, { body: parsed.data.body, parentId: parsed.data.parent_id, client: ip(c) });
    return c.redirect(`/c/${channel.handle}/posts/${post.slug}?notice=${row.status === 'held' ? 'comment_held' : 'comment_posted'}#comment-${row.id}`, 303);
  });

  // Following from this site's channels (the other end of someone's remote-follow form).
  account.get('/authorize_interaction', async (c) => {
    const uri = c.req.query('uri') ?? '';
    if (!/^(https?:\/\/\S{1,2000}|acct:\S{1,300}|@?\S{1,100}@\S{1,253})$/.test(uri)) throw new BadRequestError('community.interaction_invalid');
    const user = requireUser(c);
    const channels = user.siteRole === 'owner' ? await listChannels(deps.db) : (await listChannelsForUser(deps.db, user.id)).filter((ch) => ch.role === 'admin');
    const e = await env(c);
    return c.html(
      <MessagePage env={e} title="community.interaction_title" text={c.var.t('community.interaction_text', { uri })}
        extra={channels.length === 0 ? <p>{c.var.t('community.interaction_no_channel')}</p> : channels.map((ch) => (
          <form method="post" action="/authorize_interaction">
            <input type="hidden" name="_csrf" value={e.csrfToken} />
            <input type="hidden" name="uri" value={uri.replace(/^acct:/, '')} />
            <input type="hidden" name="channel" value={ch.handle} />
            <button type="submit">{c.var.t('community.interaction_follow_as', { channel: ch.name })}</button>
          </form>
        ))} />,
    );
  });
  account.post('/authorize_interaction', async (c) => {
    const form = textFields(await readSingleForm(c));
    const channel = await channelForAdmin(deps.db, requireUser(c), form.channel ?? '');
    await followRemoteActor(deps, fed(), channel, form.uri ?? '');
    return c.redirect(`/studio/channels/${channel.handle}/fediverse`, 303);
  });

  // The Studio's community page: followers, posts with their delivery counts, comment settings.
  const studioPage = async (c: AppContext, channel: ChannelRow, state: { errors?: Record<string, MessageKey>; values?: Record<string, string> } = {}, status = 200) => {
    const [byKind, settings, tiers, posts, remote, blocks, campaigns, suppressed] = await Promise.all([
      fq.countFollowersByKind(deps.db, channel.id), cq.channelSettings(deps.db, channel.id), listTiers(deps.db, channel.id), pq.listPosts(deps.db, channel.id),
      countRemoteFollowers(deps.db, channel.id), listBlocks(deps.db, channel.id), listCampaigns(deps.db, channel.id, true), channelSuppressions(deps.db, channel.id),
    ]);
    const names = new Map((await contactsOf(deps.db, blocks.flatMap((b) => (b.user_id ? [b.user_id] : [])))).map((u) => [u.id, u.display_name]));
    const blocked = blocks.map((b) => ({ id: b.id, label: b.domain ?? b.email ?? names.get(b.user_id ?? '') ?? '?' }));
    const titles = new Map(campaigns.map((k) => [k.id, k.title]));
    const withCounts = await Promise.all(posts.map(async (p) => ({ ...p, counts: await deliveryCounts(deps.db, 'post', p.id), campaignTitle: titles.get(p.campaign_id ?? '') })));
    return c.html(
      <CommunityStudioPage env={await env(c)} handle={channel.handle} followers={{ ...byKind, remote }} settings={settings} tiers={tiers.map((t) => ({ id: t.id, name: t.name }))}
        campaigns={campaigns.map((k) => ({ id: k.id, title: k.title }))} posts={withCounts} blocked={blocked} suppressed={suppressed} state={state} notice={communityNotice(c.req.url)} />,
      status as 200,
    );
  };
  studio.get('/channels/:handle/community', async (c) => studioPage(c, await channelForAdmin(deps.db, c.var.user, c.req.param('handle'))));
  studio.post('/channels/:handle/community/settings', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const parsed = validateForm(settingsSchema, await readSingleForm(c));
    if (!parsed.ok) return studioPage(c, channel, parsed, 422);
    await saveSettings(deps, channel.id, parsed.data);
    return c.redirect(`/studio/channels/${channel.handle}/community?notice=settings_saved`, 303);
  });
  studio.post('/channels/:handle/posts', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const form = await readSingleForm(c);
    const parsed = validateForm(postSchema, form);
    if (!parsed.ok) return studioPage(c, channel, parsed, 422);
    const tierIds = Object.keys(form).flatMap((k) => (/^tier_[0-9a-f-]{36}$/i.test(k) ? [k.slice(5)] : []));
    try {
      await publishPost(deps, channel, requireUser(c), { ...parsed.data, campaignId: parsed.data.campaign, tierIds });
    } catch (error) {
      if (error instanceof ValidationError) return studioPage(c, channel, { errors: error.fields, values: textFields(form) }, 422);
      throw error;
    }
    return c.redirect(`/studio/channels/${channel.handle}/community?notice=post_published`, 303);
  });
  // Blocks: a server by its domain, an account from one of its comments (the thread's button); lifted here.
  studio.post('/channels/:handle/blocks', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    const form = textFields(await readSingleForm(c));
    try {
      if (form.comment_id !== undefined) await blockCommentAuthor(deps, channel, form.comment_id);
      else if (form.email !== undefined) await blockEmail(deps, channel, form.email);
      else await blockDomain(deps, channel, form.domain ?? '');
    } catch (error) {
      if (error instanceof ValidationError) return studioPage(c, channel, { errors: error.fields, values: form }, 422);
      throw error;
    }
    return c.redirect(`/studio/channels/${channel.handle}/community?notice=blocked_saved#blocks`, 303);
  });
  studio.post('/channels/:handle/blocks/delete', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle'));
    await unblock(deps, channel, textFields(await readSingleForm(c)).id ?? '');
    return c.redirect(`/studio/channels/${channel.handle}/community?notice=unblocked#blocks`, 303);
  });
  // Editing a post (title and text; never e-mailed again) and deleting it.
  const channelPost = async (c: AppContext) => {
    const channel = await channelForAdmin(deps.db, c.var.user, c.req.param('handle') ?? '');
    const post = await pq.findChannelPost(deps.db, channel.id, c.req.param('id') ?? '');
    if (!post) throw new NotFoundError('community.post_not_found');
    return { channel, post };
  };
  studio.get('/channels/:handle/posts/:id', async (c) => {
    const { channel, post } = await channelPost(c);
    return c.html(<PostEditPage env={await env(c)} handle={channel.handle} post={post} state={{}} />);
  });
  studio.post('/channels/:handle/posts/:id', async (c) => {
    const { channel, post } = await channelPost(c);
    const parsed = validateForm(postEditSchema, await readSingleForm(c));
    if (!parsed.ok) return c.html(<PostEditPage env={await env(c)} handle={channel.handle} post={post} state={parsed} />, 422);
    await editPost(deps, channel, post.id, parsed.data);
    return c.redirect(`/studio/channels/${channel.handle}/community?notice=post_saved`, 303);
  });
  studio.post('/channels/:handle/posts/:id/delete', async (c) => {
    const { channel, post } = await channelPost(c);
    await removePost(deps, channel, post.id);
    return c.redirect(`/studio/channels/${channel.handle}/community?notice=post_deleted`, 303);
  });

  return { public: app, account, oneClick, studio };
}
