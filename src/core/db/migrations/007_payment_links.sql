-- The test bank's books (the built-in `test` payment provider keeps its state in the database so a
-- restart between checkout and webhook loses nothing), and the links payments need to providers.

CREATE TABLE test_bank_objects (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('checkout', 'payment', 'payment_method', 'refund')),
  idempotency_key text,
  fingerprint text,
  data jsonb NOT NULL,
  version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
  created_at timestamptz NOT NULL,
  CONSTRAINT test_bank_objects_idempotency UNIQUE (kind, idempotency_key)
);

-- A provider may name a payment twice: its checkout (Stripe's cs_…) and the payment itself (pi_…).
ALTER TABLE payments ADD COLUMN checkout_ref text;
ALTER TABLE payments ADD COLUMN livemode boolean;
CREATE UNIQUE INDEX payments_checkout_ref ON payments (provider, checkout_ref) WHERE checkout_ref IS NOT NULL;

-- A downgrade takes effect at the next renewal.
ALTER TABLE memberships ADD COLUMN pending_tier_id uuid REFERENCES membership_tiers (id) ON DELETE SET NULL;
