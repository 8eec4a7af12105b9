-- A campaign's settlement at its deadline, Liberapay's payday shape: one row per campaign, its stage
-- advanced only after the stage's work is durable, so a killed settlement is run again from its stage
-- and every step in it is idempotent (pledge states, payment idempotency keys, ledger idempotency keys).

CREATE TABLE campaign_settlements (
  campaign_id uuid PRIMARY KEY REFERENCES campaigns (id) ON DELETE RESTRICT,
  outcome text NOT NULL CHECK (outcome IN ('successful', 'failed', 'cancelled')),
  -- freeze → charge → grace → retry → check → done (successful); release → check → done (otherwise).
  stage text NOT NULL CHECK (stage IN ('charge', 'grace', 'retry', 'release', 'check', 'done')),
  started_at timestamptz NOT NULL,
  -- When the grace period for errored pledges ends (deadline + 7 days) and the final retry runs.
  retry_at timestamptz,
  finished_at timestamptz,
  -- How many times a stage was started again after an interruption.
  restarts integer NOT NULL DEFAULT 0,
  report jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
