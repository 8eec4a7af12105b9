/**
 * Portability: a channel leaves with everything (one ZIP archive) and arrives on another site. The
 * archive is complete by construction: every table a manifest declares `rows` travels through one
 * generic copier that follows the database's own keys; the others say why they stay.
 */
import { defineCapability } from '../core/module.js';
import { portabilityConfig } from './config.js';
import { en, fr } from './messages.js';
import { archiveUploadRoutes, portabilityStudioRoutes } from './routes.js';
import { IMPORT_JOB, importJobHandler } from './studio-import.js';
import { EXPIRE_EXPORTS_JOB, EXPORT_JOB, EXPORT_MAIL_JOB, expireExportsHandler, exportJobHandler, exportMailHandler } from './studio-export.js';

export { exportChannel, type ExportOptions, type ExportResult } from './export.js';
export { importArchive, type ImportOptions, type ImportReport } from './import.js';
export type { PeerTubeImportReport } from './peertube-import.js';
export { ArchiveError, type ArchiveProblem } from './errors.js';
export { planTables, type DeclaringManifest } from './plan.js';
export { readSchema } from './schema-info.js';
export { DEFAULT_LIMITS, openArchive, startsLikeZip, type ArchiveLimits, type ArchiveReader } from './zip-read.js';
export { FORMAT, SCHEMA_VERSION, type ArchiveManifest } from './format.js';

export const portabilityCapability = defineCapability({
  name: 'portability',
  config: portabilityConfig,
  messages: { en, fr },
  routes: [
    { area: 'studio', path: '/studio', build: (ctx) => portabilityStudioRoutes(ctx.deps) },
    { area: 'studio', path: '/studio', build: (ctx) => archiveUploadRoutes(ctx.deps), streamsBody: true, jsonErrors: true },
  ],
  jobs: (ctx) => ({
    [EXPORT_JOB]: exportJobHandler(ctx.deps, ctx.modules),
    [EXPORT_MAIL_JOB]: exportMailHandler(ctx.deps),
    [EXPIRE_EXPORTS_JOB]: expireExportsHandler(ctx.deps),
    [IMPORT_JOB]: importJobHandler(ctx.deps, ctx.modules),
  }),
  recurring: [{ type: EXPIRE_EXPORTS_JOB, everySeconds: () => 3600 }],
  contributes: {
    'studio.channel-menu': () => [{ href: (h) => `/studio/channels/${h}/export`, label: 'portability.studio_title', role: 'admin', order: 94 }],
    'studio.site-menu': () => [{ href: '/studio/import', label: 'portability.import_title' }],
  },
  tables: {
    portability_imports: { export: 'none', why: "this site's record of the archives it imported (what makes importing twice change nothing)" },
    portability_exports: { export: 'none', why: 'the archives this site built for the channel, with links that expire; the new site makes its own' },
    portability_uploads: { export: 'none', why: 'archives uploaded here to be imported (the import itself is what travels)' },
    portability_peertube_items: { export: 'rows', scope: 'channel', note: 'what a PeerTube archive brought, with the list of its followers (handles and dates)' },
  },
});
