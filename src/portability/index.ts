/**
 * Portability: a channel leaves with everything (one ZIP archive) and arrives on another site. The
 * archive is complete by construction: every table a manifest declares `rows` travels through one
 * generic copier that follows the database's own keys; the others say why they stay.
 */
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';

export { exportChannel, type ExportOptions, type ExportResult } from './export.js';
export { importArchive, type ImportOptions, type ImportReport } from './import.js';
export { ArchiveError, type ArchiveProblem } from './errors.js';
export { planTables, type DeclaringManifest } from './plan.js';
export { readSchema } from './schema-info.js';
export { DEFAULT_LIMITS, type ArchiveLimits } from './zip-read.js';
export { FORMAT, SCHEMA_VERSION, type ArchiveManifest } from './format.js';

export const portabilityCapability = defineCapability({
  name: 'portability',
  messages: { en, fr },
  tables: {
    portability_imports: { export: 'none', why: "this site's record of the archives it imported (what makes importing twice change nothing)" },
  },
});
