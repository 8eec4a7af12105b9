import { Hono, type Next } from 'hono';
import type { AppDeps } from '../core/deps.js';
import type { AppContext, AppEnv } from '../core/http/context.js';
import { findVideoById, findVideoByShortId, isListed, listCaptions, listPublicVideos } from '../videos/index.js';
import { findChannelByHandle } from '../channels/index.js';
import { completeChannelActor, findLocalActor, handleOfIdentifier, OWNER_IDENTIFIER } from './actors.js';
import type { FederationServices } from './federation.js';
import { checkActivityOrigins } from './origin-check.js';
import * as q from './queries.js';
import { instanceActorUrls, videoObjectUrls } from './outbox.js';
import { buildVideoObject, chaptersDocument, countCollection, instanceAnnounce, videoActivity, videoDocument, videoObjectUri, videoTombstone, VIDEO_JSONLD_CONTEXT } from './video-object.js';
import { readBodyUpTo } from '../core/http/read-limited.js';

/** Largest activity the inboxes accept; a PeerTube video with many renditions is about 25 KB. */
export const MAX_INBOX_BYTES = 512 * 1024;
/** Create activities per outbox page. */
const OUTBOX_PAGE_SIZE = 20;


const AP_TYPES = /application\/(activity\+json|ld\+json)/i;

/** True when the client asks for ActivityPub JSON rather than a page. */
export function wantsActivityJson(accept: string | undefined): boolean {
  return !!accept && AP_TYPES.test(accept);
}

/** A refusal in the federation area's JSON error shape (`{error:{code,message}}`), for the sending server's logs. */
function refused(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * The server-to-server side: actors, inboxes, WebFinger and NodeInfo through Fedify, the video objects
 * (served here, in PeerTube's shape, which Fedify's vocabulary cannot carry), and content negotiation on
 * channel and watch pages. Mount it before the page routes so `/c/{handle}` and `/v/{id}` can answer
 * ActivityPub clients first.
 */
export function federationRoutes(deps: AppDeps, fed: FederationServices) {
  const app = new Hono<AppEnv>();
  const base = deps.config.publicUrl;

  /** Hands the request to Fedify; whatever Fedify does not serve falls through to the site. */
  const toFedify = async (c: AppContext, next: Next, request: Request = c.req.raw) => {
    let fallthrough = false;
    const response = await fed.federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => {
        fallthrough = true;
        return new Response(null, { status: 404 });
      },
      onNotAcceptable: (req) => {
        // A browser on an actor URL: show the channel page.
        const handle = /^\/ap\/c\/([a-z0-9_]{2,30})$/.exec(new URL(req.url).pathname)?.[1];
        if (handle) return Response.redirect(`${base}/c/${handle}`, 302);
        fallthrough = true;
        return new Response(null, { status: 406 });
      },
    });
    if (fallthrough) {
      // WebFinger answers an unknown resource in JSON, not with the site's HTML page (PeerTube parses it).
      if (new URL(request.url).pathname === '/.well-known/webfinger') return refused(404, 'not_found', 'No such resource.');
      return next();
    }
    return completeActorResponse(request, response);
  };

  /** A channel's Group as served by Fedify, completed with what its compaction cannot say (completeChannelActor). */
  async function completeActorResponse(request: Request, response: Response): Promise<Response> {
    const handle = request.method === 'GET' ? handleOfIdentifier(new URL(request.url).pathname.replace(/^\/ap\//, '')) : undefined;
    if (!handle || response.status !== 200 || !/json/.test(response.headers.get('content-type') ?? '')) return response;
    const channel = await findChannelByHandle(deps.db, handle);
    if (!channel) return response;
    const actor = (await response.json()) as Record<string, unknown>;
    const completed = completeChannelActor(actor, channel, { base, owner: fed.context().getActorUri(OWNER_IDENTIFIER).href });
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(completed), { status: 200, headers });
  }

  app.get('/ap/videos/:shortId', async (c, next) => {
    const shortId = c.req.param('shortId');
    if (!wantsActivityJson(c.req.header('accept'))) return c.redirect(`/v/${encodeURIComponent(shortId)}`, 302);
    const video = await findVideoByShortId(deps.db, shortId);
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/activity+json', vary: 'Accept' } });
    if (video && isListed(video, deps.clock.now())) {
      const object = buildVideoObject(video, await listCaptions(deps.db, video.id), videoObjectUrls(fed, base, video.channel_handle), { commentsClosed: (await fed.comments()?.policy(video.channel_id)) === 'closed' });
      return json(videoDocument(object));
    }
    // Said to followers to be gone: 410 with a tombstone, as Mastodon expects; otherwise not ours.
    if (/^[A-Za-z0-9_-]{8,16}$/.test(shortId)) {
      const rows = await deps.db.query<{ state: string; changed_at: Date }>('SELECT state, changed_at FROM federation_video_state WHERE short_id = $1', [shortId]);
      if (rows[0]?.state === 'deleted') return json({ '@context': VIDEO_JSONLD_CONTEXT, ...videoTombstone(videoObjectUri(base, shortId), rows[0].changed_at) }, 410);
    }
    return next();
  });

  // The collections and chapters a video object points to (counts only, as PeerTube reads them).
  app.get('/ap/videos/:shortId/:part{likes|dislikes|shares|comments|chapters}', async (c, next) => {
    const video = await findVideoByShortId(deps.db, c.req.param('shortId'));
    if (!video || !isListed(video, deps.clock.now())) return next();
    const id = `${videoObjectUri(base, video.short_id)}/${c.req.param('part')}`;
    const part = c.req.param('part');
    let body: Record<string, unknown>;
    if (part === 'chapters') body = chaptersDocument(videoObjectUri(base, video.short_id), video.chapters, video.duration_seconds);
    else if (part === 'dislikes') body = countCollection(id, 0);
    else if (part === 'comments') body = countCollection(id, await q.countApprovedComments(deps.db, video.id));
    else {
      const counts = await q.countReactions(deps.db, video.id);
      body = countCollection(id, part === 'likes' ? counts.likes : counts.shares);
    }
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/activity+json', vary: 'Accept' } });
  });

  // The outbox: a channel's listed videos as the Create activities followers got, newest first, paged
  // (PeerTube crawls an actor's outbox once it accepts a follow: process-accept.ts, addFetchOutboxJob). The
  // instance actor's lists every listed video as its Announce, as the outbox of PeerTube's server actor
  // lists the videos it shared (controllers/activitypub/outbox.ts). The Persons publish nothing themselves.
  app.get('/ap/:kind{c|a}/:name/outbox', async (c, next) => {
    const identifier = `${c.req.param('kind')}/${c.req.param('name')}`;
    const actor = await findLocalActor(deps.db, identifier);
    if (!actor) return next();
    const id = `${base}/ap/${identifier}/outbox`;
    const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/activity+json', vary: 'Accept' } });
    const now = deps.clock.now();
    if (actor.kind !== 'channel' && actor.kind !== 'instance') return json({ '@context': 'https://www.w3.org/ns/activitystreams', id, type: 'OrderedCollection', totalItems: 0, orderedItems: [] });
    const pageParam = c.req.query('page');
    const { total } = actor.kind === 'instance' ? await q.listListedVideos(deps.db, now, 0, 0) : await listPublicVideos(deps.db, actor.channel.id, now, 0, 0);
    const pages = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
    if (pageParam === undefined) {
      return json({ '@context': 'https://www.w3.org/ns/activitystreams', id, type: 'OrderedCollection', totalItems: total, first: `${id}?page=1`, last: `${id}?page=${pages}` });
    }
    const page = Number(pageParam);
    if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) return refused(400, 'invalid_page', 'page must be a positive integer.');
    const offset = (page - 1) * OUTBOX_PAGE_SIZE;
    const items: Record<string, unknown>[] = [];
    if (actor.kind === 'instance') {
      const instance = instanceActorUrls(fed);
      for (const video of (await q.listListedVideos(deps.db, now, OUTBOX_PAGE_SIZE, offset)).rows) items.push(instanceAnnounce(videoObjectUri(base, video.short_id), instance, video.at));
    } else {
      const { rows } = await listPublicVideos(deps.db, actor.channel.id, now, OUTBOX_PAGE_SIZE, offset);
      const urls = videoObjectUrls(fed, base, actor.channel.handle);
      for (const video of rows) {
        const object = buildVideoObject(video, await listCaptions(deps.db, video.id), urls, { commentsClosed: (await fed.comments()?.policy(video.channel_id)) === 'closed' });
        items.push(videoActivity('Create', `${object.id as string}#create-${video.updated_at.getTime()}`, urls, object, video.publish_at ?? video.created_at));
      }
    }
    return json({
      '@context': VIDEO_JSONLD_CONTEXT,
      id: `${id}?page=${page}`,
      type: 'OrderedCollectionPage',
      partOf: id,
      totalItems: total,
      ...(page > 1 ? { prev: `${id}?page=${page - 1}` } : {}),
      ...(page < pages ? { next: `${id}?page=${page + 1}` } : {}),
      orderedItems: items.map(({ '@context': _context, ...activity }) => activity),
    });
  });

  // PeerTube fetches a remote video's long description from its origin's REST API, and answers 500 when
  // that fails (D14): the Markdown description of a listed video, by its uuid (the object's `uuid`).
  app.get('/api/v1/videos/:uuid/description', async (c) => {
    const uuid = c.req.param('uuid');
    const video = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid) ? await findVideoById(deps.db, uuid.toLowerCase()) : undefined;
    if (!video || !isListed(video, deps.clock.now())) return refused(404, 'not_found', 'No such video.');
    return c.json({ description: video.description });
  });

  // Content negotiation: ActivityPub clients asking for a channel or watch page get its object.
  app.get('/c/:handle', async (c, next) => {
    if (!wantsActivityJson(c.req.header('accept'))) return next();
    return c.redirect(`/ap/c/${encodeURIComponent(c.req.param('handle').toLowerCase())}`, 302);
  });
  app.get('/v/:shortId', async (c, next) => {
    if (!wantsActivityJson(c.req.header('accept'))) return next();
    return c.redirect(`/ap/videos/${encodeURIComponent(c.req.param('shortId'))}`, 302);
  });

  app.get('/.well-known/webfinger', async (c, next) => withLinks(await toFedify(c, next), [{ rel: SUBSCRIBE_REL, template: `${base}/authorize_interaction?uri={uri}` }]));
  // FEP-2677: the instance actor, linked from NodeInfo's discovery document. PeerTube follows a host by this
  // link first (getApplicationActorOfHost, helpers/activity-pub-utils.ts), then by WebFinger `peertube@host`.
  app.get('/.well-known/nodeinfo', async (c, next) => withLinks(await toFedify(c, next), [{ rel: APPLICATION_REL, href: instanceActorUrls(fed).actor }]));
  app.get('/nodeinfo/*', (c, next) => toFedify(c, next));
  app.get('/ap/*', (c, next) => toFedify(c, next));

  // Inboxes: bounded body, origin checks, then Fedify (HTTP Signatures, idempotence, queueing).
  app.post('/ap/*', async (c, next) => {
    const body = await readBodyUpTo(c.req.raw, MAX_INBOX_BYTES);
    if (!body) return refused(413, 'payload_too_large', `Activities are limited to ${MAX_INBOX_BYTES} bytes.`);
    let activity: unknown;
    try {
      activity = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return refused(400, 'invalid_json', 'Invalid JSON.');
    }
    const problem = checkActivityOrigins(activity);
    if (problem) return refused(400, problem, `Refused: ${problem.replace(/_/g, ' ')}.`);
    const request = new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers, body: new Uint8Array(body) });
    try {
      return await toFedify(c, next, request);
    } catch (error) {
      // Malformed activities can make Fedify's parser throw: the sender's fault, never a 500.
      deps.log.info({ err: error, path: c.req.path }, 'federation: refused an activity Fedify could not handle');
      return refused(400, 'invalid_activity', 'Invalid activity.');
    }
  });

  return app;
}

/** The OStatus subscribe template (`/authorize_interaction?uri={uri}`, as Mastodon and PeerTube answer). */
export const SUBSCRIBE_REL = 'http://ostatus.org/schema/1.0/subscribe';

/** FEP-2677's link relation for a server's application actor in `/.well-known/nodeinfo`. */
export const APPLICATION_REL = 'https://www.w3.org/ns/activitystreams#Application';

/**
 * Adds links to a JSON document of `links` Fedify served (Fedify has no hook for extra links): the subscribe
 * template on WebFinger answers, so that a remote-follow form on another site can send people here to follow
 * from their own channel; the instance actor on NodeInfo's discovery document.
 */
async function withLinks(response: Response | void, links: Record<string, string>[]): Promise<Response | void> {
  if (!(response instanceof Response) || response.status !== 200) return response;
  const jrd = (await response.clone().json().catch(() => undefined)) as { links?: unknown[] } | undefined;
  if (!jrd || !Array.isArray(jrd.links)) return response;
  jrd.links.push(...links);
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(jrd), { status: 200, headers });
}
