import { boot } from './boot.js';
import { ConfigError, loadConfig } from './core/config.js';
import { invalidatingJobHandlers } from './core/http/page-cache.js';
import { createWorker } from './core/jobs/index.js';
import { MODULES } from './modules.js';
import { buildSite, configFragments, subscriberIndex } from './site.js';

/**
 * A process that only runs background jobs (`npm run worker`). Start as many as the machine allows;
 * on PostgreSQL they share the queue safely. Web processes can then run with WORKER_CONCURRENCY=0.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { loadDotEnv: true, fragments: configFragments(MODULES) });
  const deps = await boot(config, { subscribers: subscriberIndex(MODULES) });
  const site = buildSite(deps, MODULES);
  const worker = createWorker({ db: deps.db, handlers: invalidatingJobHandlers(site.jobHandlers(), deps.db), log: deps.log, clock: deps.clock, concurrency: Math.max(1, config.workerConcurrency) });
  worker.start();
  await site.scheduleRecurring();
  deps.log.info({ workerId: worker.id }, 'worker started');
  const stop = async (signal: string) => {
    deps.log.info({ signal }, 'worker stopping: finishing running jobs');
    await worker.stop();
    await deps.db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
