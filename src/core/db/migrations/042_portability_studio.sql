-- Exports asked for in the Studio: a durable job builds the archive, the owner is e-mailed a signed link
-- that works until expires_at, after which the archive is deleted from storage.
CREATE TABLE portability_exports (
  id uuid PRIMARY KEY,
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
  -- queued: the job builds it; ready: in storage until expires_at; expired: deleted; failed: see error.
  status text NOT NULL CHECK (status IN ('queued', 'ready', 'expired', 'failed')),
  job_id bigint,
  storage_key text CHECK (length(storage_key) <= 300),
  bytes bigint CHECK (bytes >= 0),
  error text CHECK (length(error) <= 500),
  requested_at timestamptz NOT NULL,
  ready_at timestamptz,
  expires_at timestamptz,
  CHECK (status <> 'ready' OR (storage_key IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX portability_exports_channel ON portability_exports (channel_id, requested_at DESC);
CREATE INDEX portability_exports_expiry ON portability_exports (expires_at) WHERE status = 'ready';

-- Archives uploaded in the Studio to be imported: the upload is kept on this machine's disk until the
-- import job has run (it recreates the channel exactly as `fanfare import` does).
CREATE TABLE portability_uploads (
  id uuid PRIMARY KEY,
  requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
  filename text NOT NULL CHECK (length(filename) <= 255),
  bytes bigint NOT NULL CHECK (bytes >= 0),
  -- queued: the job imports it; done: see report; failed: error_key/error_vars (translated when shown).
  status text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
  job_id bigint,
  report jsonb,
  error_key text CHECK (length(error_key) <= 100),
  error_vars jsonb,
  requested_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX portability_uploads_requested ON portability_uploads (requested_at DESC);
