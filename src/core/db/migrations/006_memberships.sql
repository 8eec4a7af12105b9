-- Membership tiers and memberships: monthly/yearly, members-only videos, early access, a badge.

CREATE TABLE membership_tiers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  monthly_price bigint NOT NULL CHECK (monthly_price > 0),
  -- Null: no yearly option.
  yearly_price bigint CHECK (yearly_price > 0),
  members_only_videos boolean NOT NULL DEFAULT true,
  early_access_days integer NOT NULL DEFAULT 0 CHECK (early_access_days BETWEEN 0 AND 365),
  badge boolean NOT NULL DEFAULT true,
  -- Ordering for upgrades/downgrades: a higher rank is a higher tier.
  rank integer NOT NULL DEFAULT 0,
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX membership_tiers_channel ON membership_tiers (channel_id, rank);

CREATE TABLE memberships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tier_id uuid NOT NULL REFERENCES membership_tiers (id) ON DELETE RESTRICT,
  billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'year')),
  -- incomplete: checkout not finished; active: paid up; past_due: renewal failing, in grace;
  -- cancelled: ends at period end, no renewal; expired: over.
  status text NOT NULL CHECK (status IN ('incomplete', 'active', 'past_due', 'cancelled', 'expired')),
  current_period_start timestamptz,
  current_period_end timestamptz,
  -- Past this, a past_due membership expires.
  grace_until timestamptz,
  provider text NOT NULL,
  customer_ref text,
  payment_method_ref text,
  renewal_failures integer NOT NULL DEFAULT 0 CHECK (renewal_failures >= 0),
  -- Hash of the private feed token (members-only RSS); null when revoked or never made.
  feed_token_hash text CONSTRAINT memberships_feed_token_key UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  ended_at timestamptz
);
-- One live membership per fan and channel (history rows stay, expired).
CREATE UNIQUE INDEX memberships_one_live ON memberships (channel_id, user_id) WHERE status IN ('incomplete', 'active', 'past_due', 'cancelled');
CREATE INDEX memberships_renewals ON memberships (current_period_end) WHERE status IN ('active', 'past_due');

ALTER TABLE payments ADD COLUMN membership_id uuid REFERENCES memberships (id) ON DELETE SET NULL;
ALTER TABLE payments ADD COLUMN period_start timestamptz;
ALTER TABLE payments ADD COLUMN period_end timestamptz;
