/** RSS, Atom and Podcasting 2.0 feeds of each channel (see CONTEXT.md). */
import { defineCapability } from '../core/module.js';
import { feedRoutes } from './routes.js';

export const feedsCapability = defineCapability({
  name: 'feeds',
  routes: [{ area: 'feed', path: '/', build: (ctx) => feedRoutes(ctx.deps) }],
  tables: {},
});
