import { boot } from './boot.js';
import { ConfigError, loadConfig } from './core/config.js';
import { federationConfig } from './federation/config.js';
import { paymentsConfig } from './funding/providers/config.js';
import { videosConfig } from './videos/config.js';
import { createWorker } from './core/jobs/index.js';
import { jobHandlers } from './job-handlers.js';
import { createSiteServices } from './services.js';

/**
 * A process that only runs background jobs (`npm run worker`). Start as many as the machine allows;
 * on PostgreSQL they share the queue safely. Web processes can then run with WORKER_CONCURRENCY=0.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { loadDotEnv: true, fragments: [federationConfig, paymentsConfig, videosConfig] });
  const deps = await boot(config);
  const worker = createWorker({ db: deps.db, handlers: jobHandlers(deps, createSiteServices(deps)), log: deps.log, clock: deps.clock, concurrency: Math.max(1, config.workerConcurrency) });
  worker.start();
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
