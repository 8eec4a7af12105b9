-- Archive imports: one row per imported archive (by the id chosen at export), so importing the same
-- archive twice changes nothing, and an import stopped between its stages resumes where it stopped.
CREATE TABLE portability_imports (
  archive_id uuid PRIMARY KEY,
  manifest_sha256 text NOT NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
  source_url text NOT NULL CHECK (length(source_url) <= 2000),
  source_handle text NOT NULL CHECK (length(source_handle) <= 60),
  -- The channel created here (set when the rows stage commits).
  channel_id uuid REFERENCES channels (id) ON DELETE SET NULL,
  -- files: copying media; rows: inserting rows (one transaction); done.
  stage text NOT NULL CHECK (stage IN ('files', 'rows', 'done')),
  -- Old uuid → new uuid, chosen once so a resumed import writes the same keys.
  id_map jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(id_map) = 'object'),
  counts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(counts) = 'object'),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
