// Test helper (not shipped code): a site with federation mounted on a throwaway database, and a
// simulated remote server (actors with real keys, inboxes that record what they receive).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { CryptographicKey, Endpoints, generateCryptoKeyPair, getDocumentLoader, Person, signRequest } from '@fedify/fedify';
import { Hono } from 'hono';
import { pino } from 'pino';
import { createManualClock } from '../core/clock.js';
import { loadConfig } from '../core/config.js';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { createMailer } from '../core/mail/index.js';
import { createLocalStorage } from '../core/storage/index.js';
import { openTestDb } from '../../test/support/db.js';
import { createFederationServices, type FederationServices } from './federation.js';
import { federationJobHandlersFor } from './jobs.js';
import { federationRoutes } from './routes.js';

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
  const { db, drop } = await openTestDb();
  const clock = createManualClock(new Date());
  const config = loadConfig({ PUBLIC_URL: SITE, DATA_DIR: '/tmp/fanfare-federation-unused', LOG_LEVEL: 'silent', FEDERATION_ALLOW_PRIVATE_ADDRESSES: 'true' });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const deps: AppDeps = {
    config,
    db,
    log,
    clock,
    mailer: createMailer({ from: config.mailFrom, outboxDir: '/tmp/fanfare-federation-unused/outbox', log }),
    storage: createLocalStorage('/tmp/fanfare-federation-unused/media'),
    signingSecret: 'test-signing-secret-that-is-long-enough-0123456789',
  };
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
    close: drop,
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

/** What a simulated remote inbox received. */
export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A remote fediverse server on 127.0.0.1: actors with real keys, documents, and recording inboxes. */
export interface RemoteServer {
  origin: string;
  deliveries: Delivery[];
  /** Serves `document` at `path` (for objects an activity refers to by URL). */
  serve(path: string, document: unknown): void;
  /** Makes an actor `/users/{name}` and returns its URI and a signer for requests made as it. */
  addActor(name: string): Promise<RemoteActor>;
  close(): Promise<void>;
}

export interface RemoteActor {
  uri: string;
  keyId: string;
  privateKey: CryptoKey;
  /** Signs a POST of `activity` to `url` as this actor (HTTP Signatures, draft-cavage, RSA). */
  signedPost(url: string, activity: unknown): Promise<Request>;
}

export async function startRemoteServer(): Promise<RemoteServer> {
  const documents = new Map<string, unknown>();
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        deliveries.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        res.writeHead(202).end();
        return;
      }
      const doc = documents.get(req.url ?? '');
      if (!doc) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end(JSON.stringify(doc));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const loader = getDocumentLoader();
  return {
    origin,
    deliveries,
    serve: (path, document) => documents.set(path, document),
    async addActor(name) {
      const uri = `${origin}/users/${name}`;
      const keyId = `${uri}#main-key`;
      const pair = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
      const person = new Person({
        id: new URL(uri),
        preferredUsername: name,
        inbox: new URL(`${uri}/inbox`),
        endpoints: new Endpoints({ sharedInbox: new URL(`${origin}/inbox`) }),
        publicKey: new CryptographicKey({ id: new URL(keyId), owner: new URL(uri), publicKey: pair.publicKey }),
      });
      documents.set(`/users/${name}`, await person.toJsonLd({ contextLoader: loader }));
      return {
        uri,
        keyId,
        privateKey: pair.privateKey,
        signedPost: (url, activity) =>
          signRequest(
            new Request(url, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: JSON.stringify(activity) }),
            pair.privateKey,
            new URL(keyId),
          ),
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
