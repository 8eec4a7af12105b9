-- Payments through providers, tips, membership tiers and memberships. Money amounts are integers in minor units.

-- One row per attempt to take money from a fan: a checkout or an off-session charge.
CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose text NOT NULL CHECK (purpose IN ('tip', 'membership')),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE RESTRICT,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  provider text NOT NULL CHECK (provider ~ '^[a-z0-9_]{2,20}$'),
  -- The provider's id for this payment (checkout session, payment intent, invoice).
  provider_ref text,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'expired', 'refunded', 'disputed')),
  failure_code text CHECK (length(failure_code) <= 100),
  -- Sent to the provider with every request about this payment: a retried request is not charged twice.
  idempotency_key text NOT NULL CONSTRAINT payments_idempotency_key_key UNIQUE,
  ledger_transaction_id bigint,
  processor_fee bigint CHECK (processor_fee >= 0),
  platform_fee bigint CHECK (platform_fee >= 0),
  email text CHECK (length(email) <= 254),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_provider_ref_key UNIQUE (provider, provider_ref)
);
CREATE INDEX payments_channel_created ON payments (channel_id, created_at DESC);

-- Every webhook delivery we accepted, once: a replayed or duplicated event is recognised here.
CREATE TABLE provider_events (
  provider text NOT NULL,
  event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
  type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  payload jsonb NOT NULL,
  PRIMARY KEY (provider, event_id)
);

CREATE TABLE tips (
  payment_id uuid PRIMARY KEY REFERENCES payments (id) ON DELETE CASCADE,
  video_id uuid REFERENCES videos (id) ON DELETE SET NULL,
  message text CHECK (length(message) <= 500),
  -- Shown under the video only once a channel admin approves it.
  message_status text NOT NULL DEFAULT 'none' CHECK (message_status IN ('none', 'pending', 'approved', 'rejected')),
  anonymous boolean NOT NULL DEFAULT false,
  display_name text CHECK (length(display_name) <= 80)
);
CREATE INDEX tips_video ON tips (video_id);

-- Tip settings per channel (a per-video override lives on videos).
ALTER TABLE channels ADD COLUMN tip_minimum bigint NOT NULL DEFAULT 100 CHECK (tip_minimum > 0);
ALTER TABLE channels ADD COLUMN currency text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$');
ALTER TABLE channels ADD COLUMN lightning_address text CHECK (length(lightning_address) <= 254);
ALTER TABLE videos ADD COLUMN tip_minimum bigint CHECK (tip_minimum > 0);
