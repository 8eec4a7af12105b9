// A site with only federation mounted, on a throwaway database, for the federation tests (pair it
// with the simulated remote server of test/fakes/fediverse-server.ts).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { createManualClock } from '../../src/core/clock.js';
import type { AppDeps } from '../../src/core/deps.js';
import type { AppEnv } from '../../src/core/http/context.js';
import { runDueJobsOnce } from '../../src/core/jobs/index.js';
import { createFederationServices, type FederationServices } from '../../src/federation/federation.js';
import { federationJobHandlersFor } from '../../src/federation/jobs.js';
import { federationRoutes } from '../../src/federation/routes.js';
import { createTestDeps } from './deps.js';

export const SITE = 'https://fanfare.test';

export interface FederationTestSite {
  deps: AppDeps;
  fed: FederationServices;
  app: Hono<AppEnv>;
  clock: ReturnType<typeof createManualClock>;
  channelId: string;
  /** Runs due jobs (Fedify's messages, deliveries, syncs) until none is due. */
  runJobs(): ReturnType<typeof runDueJobsOnce>;
  close(): Promise<void>;
}

/** A set-up site (owner, channel `camille`) with only the federation routes mounted. */
export async function createFederationTestSite(): Promise<FederationTestSite> {
  const clock = createManualClock(new Date());
  const { deps, close } = await createTestDeps({ env: { PUBLIC_URL: SITE, FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'true' }, clock });
  const { db } = deps;
  const fed = createFederationServices(deps);
  const app = new Hono<AppEnv>();
  app.route('/', federationRoutes(deps, fed));
  app.notFound((c) => c.text('not found', 404));
  await db.query(`INSERT INTO site (name) VALUES ('Test site')`);
  await db.query(`INSERT INTO users (email, display_name, site_role) VALUES ('owner@example.org', 'Camille', 'owner')`);
  const [channel] = await db.query<{ id: string }>(`INSERT INTO channels (handle, name, description, language) VALUES ('camille', 'Camille', 'Short films.', 'en') RETURNING id`);
  const handlers = federationJobHandlersFor(deps, fed);
  return {
    deps,
    fed,
    app,
    clock,
    channelId: channel!.id,
    runJobs: () => runDueJobsOnce({ db, handlers, clock, maxJobs: 200 }),
    close,
  };
}

/** Inserts a video as transcoding leaves it (ready), with the given visibility; returns its ids. */
export async function insertVideo(
  site: FederationTestSite,
  fields: { visibility?: string; title?: string; publishAt?: Date | null; status?: string } = {},
): Promise<{ id: string; shortId: string }> {
  const shortId = randomUUID().replace(/-/g, '').slice(0, 11);
  const renditions = [
    { name: '360p', kind: 'video', width: 640, height: 360, bandwidth: 900_000, codecs: 'avc1.64001e' },
    { name: 'audio', kind: 'audio', width: null, height: null, bandwidth: 128_000, codecs: 'mp4a.40.2' },
  ];
  const [row] = await site.deps.db.query<{ id: string }>(
    `INSERT INTO videos (short_id, channel_id, title, description, tags, language, licence, visibility, publish_at, status,
                         duration_seconds, width, height, hls_prefix, renditions, poster_key, created_at, updated_at)
     VALUES ($1, $2, $3, 'A *short* film.', '{film,test}', 'en', 'cc_by_sa', $4, $5, $6, 123.4, 640, 360, 'videos/x/hls-1-1', $7,
             'videos/x/hls-1-1/poster.jpg', $8, $8) RETURNING id`,
    [shortId, site.channelId, fields.title ?? 'A film', fields.visibility ?? 'public', fields.publishAt ?? null, fields.status ?? 'ready', JSON.stringify(renditions), new Date(site.clock.now().getTime() - 60_000)],
  );
  return { id: row!.id, shortId };
}
