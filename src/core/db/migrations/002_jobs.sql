-- Durable background jobs (transcoding, federation delivery, renewals, e-mail): see src/core/jobs/index.ts.

CREATE TABLE jobs (
  -- A number rather than a uuid: it orders jobs of the same run_at and reads well in a progress URL.
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.:-]{0,99}$'),
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- Counted when a worker claims the job, so a worker killed mid-run still uses up an attempt.
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 1000),
  run_at timestamptz NOT NULL DEFAULT now(),
  -- The lease: who runs the job and until when. A lease past its time means the worker died.
  locked_by text CHECK (length(locked_by) <= 200),
  locked_until timestamptz,
  progress integer CHECK (progress BETWEEN 0 AND 100),
  progress_message text CHECK (length(progress_message) <= 500),
  -- The error message only (stacks go to the log): it may be shown to the person who started the job.
  last_error text CHECK (length(last_error) <= 1000),
  result jsonb,
  -- Idempotency: one job per key, ever, so a key should name the work ("renew:membership:42:2025-07").
  dedupe_key text CONSTRAINT jobs_dedupe_key_key UNIQUE CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- Exactly the running jobs hold a lease, and exactly the finished ones have a finish time.
  CONSTRAINT jobs_lease_iff_running
    CHECK ((status = 'running') = (locked_by IS NOT NULL AND locked_until IS NOT NULL)),
  CONSTRAINT jobs_finished_iff_final
    CHECK ((status IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
  CONSTRAINT jobs_attempts_within_max CHECK (attempts <= max_attempts)
);

-- The claim query: due queued jobs, oldest first.
CREATE INDEX jobs_claimable ON jobs (run_at, id) WHERE status = 'queued';
-- Finding running jobs whose worker died.
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE status = 'running';
-- Admin pages listing recent jobs of a kind.
CREATE INDEX jobs_type_created ON jobs (type, created_at);
