-- The money ledger: a double-entry, append-only journal every funding model posts to.
-- Words and sign conventions: src/funding/CONTEXT.md. Amounts are signed minor units (cents):
-- positive = debit = value arrives in the account, negative = credit = value leaves it.
-- The rules money must follow are enforced here too, not only in TypeScript:
--   * the postings of a transaction sum to zero per currency, and per creator (channel) within it;
--   * a payment's platform fee is at most 10 % of what the creator received from it;
--   * nothing in the journal is ever updated or deleted (corrections are new transactions).

CREATE TABLE ledger_accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- e.g. creator:<channel uuid>:payable:EUR, provider:stripe:clearing:EUR, platform:fees:EUR
  code text NOT NULL CONSTRAINT ledger_accounts_code_key UNIQUE
    CHECK (code ~ '^[a-z][a-z0-9_-]*(:[a-z0-9_-]+)+:[A-Z]{3}$' AND length(code) <= 120),
  kind text NOT NULL CHECK (kind IN (
    'provider_clearing', 'processor_fees', 'refunds', 'disputes_open', 'chargebacks',
    'platform_fees', 'creator_payable', 'creator_paid_out')),
  currency text NOT NULL CHECK (currency IN ('EUR', 'USD', 'GBP', 'CHF', 'CAD', 'JPY', 'KWD')),
  -- The side on which the balance is normally positive; balances are shown multiplied by -1 on credit accounts.
  normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit')),
  -- The creator an account belongs to (creator_* kinds) and the provider of provider-side kinds.
  -- A channel with a money history cannot be deleted (no CASCADE): its books must stay whole.
  channel_id uuid REFERENCES channels (id),
  provider text CHECK (provider ~ '^[a-z0-9_-]{1,40}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Lets postings reference (account, currency) so a posting cannot be in another currency than its account.
  CONSTRAINT ledger_accounts_id_currency_key UNIQUE (id, currency),
  CHECK (code LIKE '%:' || currency),
  CHECK ((kind = 'provider_clearing') = (normal_side = 'credit')),
  CHECK ((kind IN ('creator_payable', 'creator_paid_out')) = (channel_id IS NOT NULL)),
  CHECK ((kind IN ('provider_clearing', 'processor_fees', 'refunds', 'disputes_open', 'chargebacks')) = (provider IS NOT NULL))
);

CREATE TABLE ledger_transactions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Chosen by the caller (e.g. stripe:evt_123): posting again with the same key changes nothing.
  idempotency_key text NOT NULL CONSTRAINT ledger_transactions_idempotency_key_key UNIQUE
    CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  -- Hash of the request first posted under the key: a key reused for a different request is refused.
  request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  kind text NOT NULL CHECK (kind IN (
    'payment', 'refund', 'dispute', 'dispute_reversal', 'dispute_lost', 'payout', 'fee_adjustment')),
  -- Which funding model the money came through; reversals carry their payment's source.
  source text CHECK (source IN ('tip', 'membership', 'fan_budget', 'bundle', 'campaign')),
  -- The one creator concerned; NULL when a payment is split among several (postings carry each one).
  channel_id uuid REFERENCES channels (id),
  -- The fan who paid. The only column that may change: set to NULL when the fan's account is deleted.
  fan_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  provider text CHECK (provider ~ '^[a-z0-9_-]{1,40}$'),
  external_ref text CHECK (length(external_ref) BETWEEN 1 AND 200),
  -- A refund or dispute points at its payment; a dispute's resolution at the dispute.
  reverses_transaction_id bigint REFERENCES ledger_transactions (id),
  platform_fee_bps integer CHECK (platform_fee_bps BETWEEN 0 AND 1000),
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  CHECK ((kind IN ('refund', 'dispute', 'dispute_reversal', 'dispute_lost')) = (reverses_transaction_id IS NOT NULL)),
  CHECK ((kind = 'payment') = (platform_fee_bps IS NOT NULL)),
  CHECK (kind <> 'payment' OR (source IS NOT NULL AND provider IS NOT NULL AND external_ref IS NOT NULL))
);
-- A provider's payment, refund or dispute is recorded once, whatever idempotency key it arrives with.
CREATE UNIQUE INDEX ledger_transactions_external_ref ON ledger_transactions (kind, provider, external_ref)
  WHERE external_ref IS NOT NULL;
-- A dispute is resolved (won or lost) once.
CREATE UNIQUE INDEX ledger_transactions_one_resolution ON ledger_transactions (reverses_transaction_id)
  WHERE kind IN ('dispute_reversal', 'dispute_lost');
CREATE INDEX ledger_transactions_reverses ON ledger_transactions (reverses_transaction_id)
  WHERE reverses_transaction_id IS NOT NULL;
CREATE INDEX ledger_transactions_occurred ON ledger_transactions (occurred_at);

CREATE TABLE ledger_postings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
  account_id bigint NOT NULL,
  currency text NOT NULL,
  amount bigint NOT NULL CHECK (amount <> 0),
  -- The creator this posting is on behalf of (also on platform and provider accounts), so each
  -- creator's share of a split payment, and of its refunds, reads straight from the journal.
  channel_id uuid REFERENCES channels (id),
  FOREIGN KEY (account_id, currency) REFERENCES ledger_accounts (id, currency)
);
-- Balances are sums over an account's postings: this index answers them without reading the table.
CREATE INDEX ledger_postings_account ON ledger_postings (account_id) INCLUDE (amount);
CREATE INDEX ledger_postings_transaction ON ledger_postings (transaction_id);
CREATE INDEX ledger_postings_channel ON ledger_postings (channel_id, transaction_id) WHERE channel_id IS NOT NULL;

-- Checked at COMMIT (deferred), once all postings of the transaction are in.
CREATE FUNCTION ledger_check_transaction(tx_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_postings WHERE transaction_id = tx_id) THEN
    RAISE EXCEPTION 'ledger transaction % has no postings', tx_id USING ERRCODE = 'check_violation';
  END IF;
  SELECT p.currency, p.channel_id, sum(p.amount) AS total INTO bad
    FROM ledger_postings p WHERE p.transaction_id = tx_id
   GROUP BY p.currency, p.channel_id HAVING sum(p.amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: % % (channel %)', tx_id, bad.total, bad.currency, bad.channel_id
      USING ERRCODE = 'check_violation';
  END IF;
  -- Creators keep at least 90 %: per creator, the platform fee is at most a tenth of the gross.
  SELECT p.channel_id INTO bad
    FROM ledger_postings p
    JOIN ledger_accounts a ON a.id = p.account_id
    JOIN ledger_transactions t ON t.id = p.transaction_id
   WHERE p.transaction_id = tx_id AND t.kind = 'payment'
   GROUP BY p.channel_id
  HAVING 10 * coalesce(sum(p.amount) FILTER (WHERE a.kind = 'platform_fees'), 0)
       > -coalesce(sum(p.amount) FILTER (WHERE a.kind = 'provider_clearing'), 0)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction %: platform fee above 10 %% for channel %', tx_id, bad.channel_id
      USING ERRCODE = 'check_violation';
  END IF;
END $$;

CREATE FUNCTION ledger_check_new_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_check_transaction(NEW.id);
  RETURN NULL;
END $$;

CREATE FUNCTION ledger_check_new_posting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_check_transaction(NEW.transaction_id);
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_new_transaction();
-- Also per posting: a posting added later to an older transaction is checked too.
CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_new_posting();

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % refused (post a correcting transaction instead)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;

-- Forgetting a deleted fan (fan_user_id ON DELETE SET NULL) is the one change allowed, and only to that column.
CREATE FUNCTION ledger_refuse_transaction_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.fan_user_id IS NULL AND (to_jsonb(NEW) - 'fan_user_id') = (to_jsonb(OLD) - 'fan_user_id') THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'the ledger is append-only: % on ledger_transactions refused (post a correcting transaction instead)', TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER ledger_accounts_append_only BEFORE UPDATE OR DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_transaction_change();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
