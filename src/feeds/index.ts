/** RSS, Atom and Podcasting 2.0 feeds of each channel (see CONTEXT.md). */
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { feedRoutes } from './routes.js';

export const feedsCapability = defineCapability({
  name: 'feeds',
  messages: { en, fr },
  routes: [{ area: 'feed', path: '/', build: (ctx) => feedRoutes(ctx.deps) }],
  tables: {},
});
