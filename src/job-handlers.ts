import type { AppDeps } from './core/deps.js';
import type { JobHandlers } from './core/jobs/index.js';
import { TRANSCODE_JOB } from './videos/service.js';
import { transcodeVideoHandler } from './videos/transcode-job.js';

/** Every background job type and its handler, like app.ts for routes: wiring only. */
export function jobHandlers(deps: AppDeps): JobHandlers {
  return {
    [TRANSCODE_JOB]: transcodeVideoHandler(deps),
  };
}
