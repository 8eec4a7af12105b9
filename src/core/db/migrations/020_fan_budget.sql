-- The monthly fan budget (src/funding/fan-budget, rules in src/funding/CONTEXT.md "The monthly fan budget").
-- A budget charge is split among several creators, so its payment row names no single channel.
ALTER TABLE payments ALTER COLUMN channel_id DROP NOT NULL;
ALTER TABLE payments ADD CONSTRAINT payments_channel_named CHECK (channel_id IS NOT NULL OR purpose = 'fan_budget');

-- A fan's monthly budget and the card it is charged to (the provider's references, never card data).
CREATE TABLE fan_budgets (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- 'pending' until the provider saved the card; 'stopped' charges nothing from the next close on.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'stopped')),
  provider text CHECK (provider ~ '^[a-z0-9_]{2,20}$'),
  customer_ref text CHECK (length(customer_ref) <= 255),
  payment_method_ref text CHECK (length(payment_method_ref) <= 255),
  -- The fan lets creators see their name among an item's supporters (anonymous otherwise).
  show_name boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'active' OR (provider IS NOT NULL AND customer_ref IS NOT NULL AND payment_method_ref IS NOT NULL))
);

-- "Support" clicks: one per fan, item and month. Deleting the video or channel deletes its clicks, so
-- an item gone before its month closes is simply not in the split (the fan's other clicks share it).
CREATE TABLE fan_budget_clicks (
  month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  -- NULL: the fan supported the channel itself (its page), not one of its videos.
  video_id uuid REFERENCES videos (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX fan_budget_clicks_once ON fan_budget_clicks (month, user_id, channel_id, coalesce(video_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX fan_budget_clicks_video ON fan_budget_clicks (video_id) WHERE video_id IS NOT NULL;

-- A month's settlement (Liberapay's payday): one stage at a time, each stage resumable.
CREATE TABLE fan_budget_months (
  month text PRIMARY KEY CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  stage text NOT NULL DEFAULT 'plan' CHECK (stage IN ('plan', 'charge', 'check', 'report', 'done')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  report jsonb CHECK (report IS NULL OR jsonb_typeof(report) = 'object')
);

-- One charge per fan and month, planned at close with the budget in force then.
CREATE TABLE fan_budget_charges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  month text NOT NULL REFERENCES fan_budget_months (month),
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  clicks integer NOT NULL CHECK (clicks > 0),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'pending', 'retrying', 'succeeded', 'unpaid', 'refunded')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  payment_id uuid REFERENCES payments (id),
  failure_code text CHECK (length(failure_code) <= 100),
  emailed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fan_budget_charges_once UNIQUE (month, user_id)
);
CREATE INDEX fan_budget_charges_status ON fan_budget_charges (month, status);

-- What a charge is split among, frozen when the month closes (its clicks then): the item's title is
-- kept so statements still name a video deleted later. Filled with each item's share once paid.
CREATE TABLE fan_budget_charge_items (
  charge_id uuid NOT NULL REFERENCES fan_budget_charges (id) ON DELETE CASCADE,
  line integer NOT NULL CHECK (line > 0),
  -- A channel with a charge in flight cannot be deleted (its share is owed to it).
  channel_id uuid NOT NULL REFERENCES channels (id),
  video_id uuid,
  title text NOT NULL CHECK (length(title) <= 500),
  -- Set when the charge succeeds: this item's part of the gross and of the creator's net.
  gross bigint CHECK (gross >= 0),
  net bigint CHECK (net >= 0),
  PRIMARY KEY (charge_id, line)
);
CREATE INDEX fan_budget_charge_items_channel ON fan_budget_charge_items (channel_id, video_id);

-- Every payment attempted for a charge (the first try and the retries), so a payment's outcome finds its charge.
CREATE TABLE fan_budget_charge_payments (
  charge_id uuid NOT NULL REFERENCES fan_budget_charges (id) ON DELETE CASCADE,
  attempt integer NOT NULL CHECK (attempt >= 0),
  payment_id uuid NOT NULL CONSTRAINT fan_budget_charge_payments_payment_key UNIQUE REFERENCES payments (id),
  PRIMARY KEY (charge_id, attempt)
);
