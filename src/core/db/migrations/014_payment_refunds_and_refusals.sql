-- Money never taken for nothing (issue 9). A payment that succeeds for something that can no longer be
-- delivered (a superseded membership checkout, a purpose nobody handles) is refunded automatically: the
-- payment keeps why, and when the refund was asked of the provider (the ledger's reversal arrives with
-- the provider's refund event). Signed webhooks that are verified but cannot be applied (wrong amount,
-- refund larger than what is left, unknown invoice) are acknowledged, recorded as refused, and shown to
-- the creator instead of being answered 500 and retried for days.

ALTER TABLE payments ADD COLUMN undeliverable_reason text CHECK (length(undeliverable_reason) BETWEEN 1 AND 100);
ALTER TABLE payments ADD COLUMN refund_requested_at timestamptz;

-- Why a verified event was not applied; null for an applied one. A redelivery finds the row and changes nothing.
ALTER TABLE provider_events ADD COLUMN refused_reason text CHECK (length(refused_reason) BETWEEN 1 AND 500);

-- What the Studio tells a channel's admins about money the site handled on its own: automatic refunds,
-- refunds that need a person (the rail cannot refund), refused webhooks. channel_id is null when the
-- event named no payment of this site (shown to the site owner).
CREATE TABLE payment_notices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id uuid REFERENCES channels (id) ON DELETE CASCADE,
  payment_id uuid REFERENCES payments (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('auto_refund', 'auto_refund_failed', 'webhook_refused')),
  detail text NOT NULL CHECK (length(detail) <= 1000),
  created_at timestamptz NOT NULL,
  -- One notice per payment and kind: a retried job or a redelivered event does not repeat it.
  CONSTRAINT payment_notices_once UNIQUE (payment_id, kind)
);
CREATE INDEX payment_notices_channel ON payment_notices (channel_id, created_at DESC);
