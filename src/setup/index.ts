/** First-run setup: the owner account and the first channel (the `/setup` page and `fanfare init`). */
import { cookiePolicy } from '../core/http/cookies.js';
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { setupRoutes } from './routes.js';

export { AlreadySetUpError, isSetUp, performSetup, setupSchema } from './service.js';

export const setupCapability = defineCapability({
  name: 'setup',
  messages: { en, fr },
  routes: [{ area: 'public', path: '/setup', build: (ctx) => setupRoutes(ctx.deps, cookiePolicy(ctx.deps.config.publicUrl)) }],
  tables: {},
});
