/** Probes, static assets and the canonical address: what load balancers and browsers meet outside any other capability. */
import { configSection } from '../core/config.js';
import { defineCapability } from '../core/module.js';
import { canonicalHost } from './canonical-host.js';
import { siteConfig } from './config.js';
import { en, fr } from './messages.js';
import { siteRoutes } from './routes.js';

export const siteCapability = defineCapability({
  name: 'site',
  messages: { en, fr },
  config: siteConfig,
  // First of all middleware (this capability is first in the list): one address per site.
  middleware: (ctx) => (configSection(ctx.deps.config, siteConfig).canonicalRedirect ? canonicalHost(ctx.deps.config) : async (_c, next) => next()),
  routes: [{ area: 'public', path: '/', build: (ctx) => siteRoutes(ctx.deps) }],
  tables: {
    site: { export: 'rows', scope: 'site' },
    instance_secrets: { export: 'none', why: 'signing secrets belong to this server; the new site makes its own' },
    rate_limits: { export: 'none', why: 'short-lived counters' },
    jobs: { export: 'none', why: 'work in progress of this server; the new site starts its own' },
  },
});
