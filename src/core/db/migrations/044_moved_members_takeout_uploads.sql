-- A membership imported from another site whose payment provider account this site cannot charge (a
-- different Stripe account, another test bank, or unknown): the member must confirm a payment method
-- here before the next renewal. Set on import, cleared when they do; while set, nothing is charged and
-- the membership ends with its paid period.
ALTER TABLE memberships ADD COLUMN payment_method_needed_since timestamptz;

-- YouTube Takeout archives uploaded in the Studio (src/moving/youtube/studio-upload.ts): a durable job
-- imports each into its channel. queued: the job runs; done: see report; failed: error_key (translated
-- when shown) and error_detail (the entry or row at fault).
CREATE TABLE youtube_uploads (
  id uuid PRIMARY KEY,
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
  filename text NOT NULL CHECK (length(filename) <= 255),
  bytes bigint NOT NULL CHECK (bytes >= 0),
  status text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
  job_id bigint,
  report jsonb,
  error_key text CHECK (length(error_key) <= 100),
  error_detail text CHECK (length(error_detail) <= 500),
  requested_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX youtube_uploads_channel ON youtube_uploads (channel_id, requested_at DESC);
