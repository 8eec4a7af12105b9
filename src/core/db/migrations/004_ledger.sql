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
  -- The recording database transaction's now(). Postings carry it too (see ledger_postings).
  recorded_at timestamptz NOT NULL DEFAULT now(),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  CHECK ((kind IN ('refund', 'dispute', 'dispute_reversal', 'dispute_lost')) = (reverses_transaction_id IS NOT NULL)),
  CHECK ((kind = 'payment') = (platform_fee_bps IS NOT NULL)),
  CHECK (kind <> 'payment' OR (source IS NOT NULL AND provider IS NOT NULL AND external_ref IS NOT NULL)),
  CONSTRAINT ledger_transactions_id_recorded_at_key UNIQUE (id, recorded_at)
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
  transaction_id bigint NOT NULL,
  -- Line number within the transaction (1, 2, …). The key doubles as the index by transaction.
  line smallint NOT NULL CHECK (line > 0),
  -- now() of the database transaction adding the posting. The foreign key below requires it to be the
  -- one that recorded the ledger transaction: postings cannot be appended to an older transaction,
  -- whose balance was checked when it was committed.
  recorded_at timestamptz NOT NULL DEFAULT now(),
  account_id bigint NOT NULL,
  currency text NOT NULL,
  amount bigint NOT NULL CHECK (amount <> 0),
  -- The creator this posting is on behalf of (also on platform and provider accounts), so each
  -- creator's share of a split payment, and of its refunds, reads straight from the journal.
  channel_id uuid REFERENCES channels (id),
  PRIMARY KEY (transaction_id, line),
  FOREIGN KEY (transaction_id, recorded_at) REFERENCES ledger_transactions (id, recorded_at),
  FOREIGN KEY (account_id, currency) REFERENCES ledger_accounts (id, currency)
);
-- Balances are sums over an account's postings: this index answers them without reading the table.
CREATE INDEX ledger_postings_account ON ledger_postings (account_id) INCLUDE (amount);
CREATE INDEX ledger_postings_channel ON ledger_postings (channel_id, transaction_id) WHERE channel_id IS NOT NULL;

-- The money rules of one transaction, checked at COMMIT (deferred), once all its postings are in
-- (they can only be added by the database transaction that records it, see ledger_postings):
-- it has postings; they sum to zero per currency and per creator; and in a payment each creator's
-- platform fee is at most a tenth of their gross (creators keep at least 90 %). One query.
-- Both functions below look rows up by key. Their plans are cached per connection, planned when the
-- tables may still be tiny (where a sequential scan is cheapest) and kept as the ledger grows: turning
-- sequential scans off inside them keeps every lookup an index lookup, O(log n) at any size.
CREATE FUNCTION ledger_check_transaction() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  result record;
BEGIN
  SELECT count(*) AS slices,
         count(*) FILTER (WHERE total <> 0) AS unbalanced,
         count(*) FILTER (WHERE NEW.kind = 'payment' AND 10 * platform > -clearing) AS above_cap
    INTO result
    FROM (SELECT sum(p.amount) AS total,
                 coalesce(sum(p.amount) FILTER (WHERE a.kind = 'platform_fees'), 0) AS platform,
                 coalesce(sum(p.amount) FILTER (WHERE a.kind = 'provider_clearing'), 0) AS clearing
            FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
           WHERE p.transaction_id = NEW.id
           GROUP BY p.currency, p.channel_id) AS slice;
  IF result.slices = 0 THEN
    RAISE EXCEPTION 'ledger transaction % has no postings', NEW.id USING ERRCODE = 'check_violation';
  ELSIF result.unbalanced > 0 THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: its postings do not sum to zero per currency and creator', NEW.id
      USING ERRCODE = 'check_violation';
  ELSIF result.above_cap > 0 THEN
    RAISE EXCEPTION 'ledger transaction %: platform fee above 10 %%', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_transaction();

-- The insert path: one call records a transaction with its postings, creating the accounts they name
-- on first use. Returns the new transaction's id, or NULL when a unique constraint (idempotency key,
-- provider reference, one outcome per dispute) already holds such a transaction: nothing is written
-- then, and the caller's transaction stays usable (ON CONFLICT DO NOTHING, not an error). One round
-- trip, with plans cached per connection. Postings are given as parallel arrays, one element each.
CREATE FUNCTION ledger_post(
  idempotency_key text, request_hash text, kind text, source text, channel_id uuid, fan_user_id uuid,
  provider text, external_ref text, reverses_transaction_id bigint, platform_fee_bps integer,
  occurred_at timestamptz, description text, metadata jsonb,
  account_codes text[], account_kinds text[], account_sides text[], account_channels uuid[], account_providers text[],
  currencies text[], amounts bigint[], posting_channels uuid[]
) RETURNS bigint LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  tx_id bigint;
  account_ids bigint[];
BEGIN
  SELECT array_agg(a.id ORDER BY c.n) INTO account_ids
    FROM unnest(account_codes) WITH ORDINALITY AS c (code, n) JOIN ledger_accounts a ON a.code = c.code;
  IF coalesce(cardinality(account_ids), 0) <> cardinality(account_codes) THEN
    -- First money on some account. Waits for anyone creating it at the same moment; the next statement sees it.
    INSERT INTO ledger_accounts (code, kind, currency, normal_side, channel_id, provider)
    SELECT DISTINCT ON (x.code) x.code, x.kind, x.currency, x.side, x.channel, x.provider
      FROM unnest(account_codes, account_kinds, currencies, account_sides, account_channels, account_providers)
             AS x (code, kind, currency, side, channel, provider)
     WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.code = x.code)
    ON CONFLICT (code) DO NOTHING;
    SELECT array_agg(a.id ORDER BY c.n) INTO account_ids
      FROM unnest(account_codes) WITH ORDINALITY AS c (code, n) JOIN ledger_accounts a ON a.code = c.code;
  END IF;
  INSERT INTO ledger_transactions AS t (idempotency_key, request_hash, kind, source, channel_id, fan_user_id, provider,
      external_ref, reverses_transaction_id, platform_fee_bps, occurred_at, description, metadata)
  VALUES (ledger_post.idempotency_key, ledger_post.request_hash, ledger_post.kind, ledger_post.source,
      ledger_post.channel_id, ledger_post.fan_user_id, ledger_post.provider, ledger_post.external_ref,
      ledger_post.reverses_transaction_id, ledger_post.platform_fee_bps, ledger_post.occurred_at,
      ledger_post.description, ledger_post.metadata)
  ON CONFLICT DO NOTHING
  RETURNING t.id INTO tx_id;
  IF tx_id IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO ledger_postings (transaction_id, line, account_id, currency, amount, channel_id)
  SELECT tx_id, p.line, p.account_id, p.currency, p.amount, p.channel
    FROM unnest(account_ids, currencies, amounts, posting_channels) WITH ORDINALITY AS p (account_id, currency, amount, channel, line);
  RETURN tx_id;
END $$;

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
