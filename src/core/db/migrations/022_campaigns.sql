-- All-or-nothing campaigns (src/funding/campaigns, words in src/funding/CONTEXT.md): a goal in money or
-- backers, a deadline in an explicit time zone, reward levels with limited quantities, stretch goals,
-- pledges that save a payment method and are charged only at the deadline if the goal is reached, and
-- the settlement's stages kept as rows so a killed settlement resumes where it stopped.

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE RESTRICT,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  faq text NOT NULL DEFAULT '' CHECK (length(faq) <= 20000),
  pitch_video_id uuid REFERENCES videos (id) ON DELETE SET NULL,
  goal_kind text NOT NULL CHECK (goal_kind IN ('amount', 'backers')),
  -- Minor units of `currency` for an amount goal; a number of backers for a backers goal.
  goal bigint NOT NULL CHECK (goal > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  min_pledge bigint NOT NULL CHECK (min_pledge > 0),
  deadline timestamptz NOT NULL,
  -- The IANA zone the creator chose; the deadline was entered as a wall time there.
  time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'successful', 'failed', 'cancelled')),
  launched_at timestamptz,
  -- The deadline at launch: one extension, by at most (original deadline - launch), is allowed.
  original_deadline timestamptz,
  extended boolean NOT NULL DEFAULT false,
  -- Frozen at the deadline: what the page shows for ever after (Kickstarter's locked total).
  final_amount bigint,
  final_backers integer,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, slug),
  CHECK (state = 'draft' OR (launched_at IS NOT NULL AND original_deadline IS NOT NULL)),
  CHECK (NOT extended OR deadline > original_deadline)
);
CREATE INDEX campaigns_live_deadline ON campaigns (deadline) WHERE state = 'live';

CREATE TABLE campaign_rewards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  price bigint NOT NULL CHECK (price > 0),
  -- Null: unlimited. `claimed` counts pledges holding one; never above the quantity (no overselling).
  quantity integer CHECK (quantity > 0),
  claimed integer NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND (quantity IS NULL OR claimed <= quantity)),
  delivery_month text CHECK (delivery_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  position integer NOT NULL DEFAULT 0
);
CREATE INDEX campaign_rewards_campaign ON campaign_rewards (campaign_id, position);

CREATE TABLE campaign_stretch_goals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('amount', 'backers')),
  threshold bigint NOT NULL CHECK (threshold > 0),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000)
);

CREATE TABLE campaign_pledges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  reward_id uuid REFERENCES campaign_rewards (id) ON DELETE RESTRICT,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- pending: the payment method is not saved yet; pledged: saved, nothing charged; charging: the
  -- provider has not answered yet; then Kickstarter's states (see CONTEXT.md).
  status text NOT NULL CHECK (status IN ('pending', 'pledged', 'charging', 'collected', 'errored', 'authentication_required',
                                         'dropped', 'cancelled', 'released', 'refunded', 'disputed')),
  provider text NOT NULL,
  customer_ref text,
  payment_method_ref text,
  checkout_ref text,
  -- The payment of the latest collection attempt (payments.id), and why it failed.
  payment_id uuid,
  failure_code text,
  reminders_sent integer NOT NULL DEFAULT 0 CHECK (reminders_sent >= 0),
  method_detached boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One pledge per fan and campaign (a cancelled one may be followed by a new one).
CREATE UNIQUE INDEX campaign_pledges_one_per_fan ON campaign_pledges (campaign_id, user_id) WHERE status NOT IN ('cancelled');
CREATE INDEX campaign_pledges_status ON campaign_pledges (campaign_id, status, id);
CREATE UNIQUE INDEX campaign_pledges_checkout ON campaign_pledges (provider, checkout_ref) WHERE checkout_ref IS NOT NULL;

-- Videos delivered to backers whose pledge was collected (members-style, down to the media segments).
CREATE TABLE campaign_videos (
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  PRIMARY KEY (campaign_id, video_id)
);
CREATE INDEX campaign_videos_video ON campaign_videos (video_id);
