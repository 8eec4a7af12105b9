/** Probes, static assets and the canonical address: what load balancers and browsers meet outside any other capability. */
import { configSection } from '../core/config.js';
import { defineCapability } from '../core/module.js';
import { diskSpace, type DiskSpace } from '../core/storage/disk-space.js';
import { canonicalHost } from './canonical-host.js';
import { siteConfig } from './config.js';
import { en, fr } from './messages.js';
import { siteRoutes } from './routes.js';
import { shareRoutes } from './share.js';

export type { DiskSpace } from '../core/storage/disk-space.js';

declare module '../core/module.js' {
  interface SiteServices {
    /** Free space of the disk holding the data folder (uploads, the embedded database, local media). */
    diskSpace(): Promise<DiskSpace | undefined>;
  }
}

export const siteCapability = defineCapability({
  name: 'site',
  messages: { en, fr },
  config: siteConfig,
  services: (ctx) => ({ diskSpace: () => diskSpace(ctx.deps.config.dataDir) }),
  // First of all middleware (this capability is first in the list): one address per site.
  middleware: (ctx) => (configSection(ctx.deps.config, siteConfig).canonicalRedirect ? canonicalHost(ctx.deps.config) : async (_c, next) => next()),
  routes: [
    { area: 'public', path: '/', build: (ctx) => siteRoutes(ctx.deps, () => ctx.services.diskSpace()) },
    { area: 'public', path: '/', build: () => shareRoutes() },
  ],
  tables: {
    site: { export: 'rows', scope: 'site' },
    instance_secrets: { export: 'none', why: 'signing secrets belong to this server; the new site makes its own' },
    rate_limits: { export: 'none', why: 'short-lived counters' },
    jobs: { export: 'none', why: 'work in progress of this server; the new site starts its own' },
  },
});
