import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createApp } from './app.js';
import { boot } from './boot.js';
import { pruneExpired } from './accounts/index.js';
import { startSiteTracker } from './downloads/index.js';
import { attachP2PTracker } from './p2p/index.js';
import { ConfigError, loadConfig } from './core/config.js';
import { invalidatingJobHandlers } from './core/http/page-cache.js';
import { pruneRateLimits } from './core/http/rate-limit.js';
import { isSetUp } from './setup/index.js';
import { createWorker } from './core/jobs/index.js';
import { MODULES } from './modules.js';
import { buildSite, configFragments, subscriberIndex } from './site.js';
import { clientAssets } from './web/bundle.js';

const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;
/** Fedify 2 needs Node 22+; `npm start` runs the registry's Node 24 (see scripts/node-runtime.mjs). */
const MIN_NODE_MAJOR = 22;
/**
 * How long an idle kept-alive connection stays open. Node's default (5 s) closes connections that other
 * servers still hold in their pools: PeerTube reuses them after 12–56 s and a delivery on a closed one
 * fails with "socket hang up" (it is not retried). 70 s is longer than those pools keep them, as the
 * reverse proxies in front of PeerTube do; the headers timeout must be longer still.
 */
const KEEP_ALIVE_TIMEOUT_MS = 70_000;
const HEADERS_TIMEOUT_MS = 75_000;
const LISTEN_BACKLOG = 4096;

async function main(): Promise<void> {
  if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
    throw new ConfigError(`Fanfare needs Node ${MIN_NODE_MAJOR} or later, this is ${process.version}: start it with \`npm start\` (which uses the Node 24 that \`npm install\` brought) or install Node 24.`);
  }
  // Every setting (each capability's too) is checked before the database is opened.
  const config = loadConfig(process.env, { loadDotEnv: true, fragments: configFragments(MODULES) });
  const deps = await boot(config, { subscribers: subscriberIndex(MODULES) });
  const { log, db } = deps;
  const site = buildSite(deps, MODULES);
  const app = createApp(deps, site);
  // Bundle the client scripts now rather than on the first page view.
  await clientAssets();
  // By default the web process also runs background jobs, so one command runs the whole site.
  const worker =
    config.workerConcurrency > 0
      ? createWorker({ db, handlers: invalidatingJobHandlers(site.jobHandlers(), db), log, clock: deps.clock, concurrency: config.workerConcurrency })
      : undefined;
  worker?.start();
  await site.scheduleRecurring();

  const server = createAdaptorServer({ fetch: app.fetch });
  // A deep accept queue (the kernel caps it at net.core.somaxconn): a burst of new connections while the
  // process is busy waits in the queue instead of having its handshake dropped and retried seconds later.
  server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => {
    const info = server.address() as AddressInfo;
    log.info({ port: info.port, url: config.publicUrl, database: db.engine, mail: deps.mailer.kind, node: process.version }, 'Fanfare is listening');
  });
  // P2P's WebSocket tracker, on this same port under P2P_TRACKER_PATH (unless P2P is off).
  const p2pTracker = attachP2PTracker(site.ctx, server);
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
  }
  // The embedded BitTorrent tracker, when EMBEDDED_TRACKER is set (off by default).
  const tracker = await startSiteTracker(site.ctx);
  if (tracker) log.info({ port: tracker.port }, 'embedded BitTorrent tracker listening');
  if (!(await isSetUp(db))) log.info(`First run: open ${config.publicUrl}/setup to create the owner account and first channel.`);

  const maintenance = setInterval(() => {
    const now = deps.clock.now();
    Promise.all([pruneExpired(db, now), pruneRateLimits(db, now)]).catch((err) => log.warn({ err }, 'maintenance failed'));
  }, MAINTENANCE_INTERVAL_MS);
  maintenance.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(maintenance);
    // Stop accepting connections; the callback runs once in-flight requests are done.
    server.close(async () => {
      await tracker?.close();
      await p2pTracker?.close();
      await worker?.stop().catch((err) => log.error({ err }, 'stopping the worker failed'));
      await db.close().catch((err) => log.error({ err }, 'closing the database failed'));
      deps.mailer.close();
      log.info('stopped cleanly');
      process.exit(0);
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    // Jobs get their grace period (the worker's, 30 s) to finish or be handed back to the queue.
    setTimeout(() => {
      log.error('shutdown timed out after 45 s; exiting');
      process.exit(1);
    }, 45_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Fanfare could not start:', error);
  }
  process.exit(1);
});
