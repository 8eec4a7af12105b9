/**
 * The archive format. Its JSON Schemas are in `schemas/archive/v<SCHEMA_VERSION>/` (one per file kind);
 * a change that an older reader cannot read raises the version, and importers refuse versions they
 * do not know with a clear error instead of guessing.
 */
export const FORMAT = 'fanfare-channel-archive';
export const SCHEMA_VERSION = 1;

export interface ManifestFile {
  /** Path inside the archive. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** `manifest.json`, written last: what the archive holds and how to check it. */
export interface ArchiveManifest {
  readonly format: typeof FORMAT;
  readonly schemaVersion: number;
  /** Chosen at export; importing the same archive again is recognised by it and changes nothing. */
  readonly archiveId: string;
  readonly exportedAt: string;
  readonly source: {
    readonly url: string;
    readonly channel: { readonly id: string; readonly handle: string; readonly actor: string };
    /** The old site's payment accounts by rail (memberships compare them on import; see its CONTEXT.md). */
    readonly paymentAccounts?: Readonly<Record<string, string>>;
  };
  /** Rows per table. */
  readonly counts: Readonly<Record<string, number>>;
  /** Every other file of the archive. */
  readonly files: readonly ManifestFile[];
}
