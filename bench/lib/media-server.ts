// The Fanfare side of bench/serve.ts: a minimal Fanfare-like server (Hono on @hono/node-server, the
// real serveStoredFile over the local adapter) in its own process. With WORKERS > 1 it runs that many
// processes with node:cluster sharing the port, as nginx does with worker_processes.
//   node --import tsx bench/lib/media-server.ts <root> <port> [workers] [cacheMiB]
// cacheMiB sizes serve.ts's memory cache (default: its own default); 0 turns it off.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import cluster from 'node:cluster';
import { AppError } from '../../src/core/http/errors.js';
import { createLocalStorage } from '../../src/core/storage/local.js';
import { serveStoredFile, sharedFileCache } from '../../src/core/storage/serve.js';

const [root, portArg, workersArg, cacheArg] = process.argv.slice(2);
if (!root || !portArg) throw new Error('usage: media-server.ts <root> <port> [workers]');
const port = Number(portArg);
const workers = Number(workersArg ?? '1');
const cacheMiB = cacheArg === undefined ? undefined : Number(cacheArg);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  if (cacheMiB !== undefined) sharedFileCache.resize(cacheMiB * 1024 * 1024);
  const storage = createLocalStorage(root);
  const app = new Hono();
  app.on(['GET', 'HEAD'], '/media/:key{.+}', (c) => serveStoredFile(c, storage, c.req.param('key')));
  app.onError((error, c) => c.body(null, error instanceof AppError ? error.status : 500));
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  process.on('SIGTERM', () => process.exit(0));
}
