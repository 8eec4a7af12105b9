-- The ledger's self-checks (src/funding/ledger/self-check.ts). checkLedgerInvariants runs at the end of
-- every money job and periodically (job ledger.self_check); each run is kept here, the latest ones only,
-- so an operator sees when the books went wrong and the Studio revenue page can warn the site owner.
-- A log line is not enough: logs rotate, and nobody reads them until someone asks where money went.

CREATE TABLE ledger_checks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The clock's time of the check (the injected clock, like the job queue's timestamps).
  checked_at timestamptz NOT NULL,
  -- What ran it: the job type (membership.renew, payments.test_webhook, ledger.self_check…).
  trigger text NOT NULL CHECK (length(trigger) BETWEEN 1 AND 100),
  ok boolean NOT NULL,
  -- How many problems were found, and the first of them ({ check, detail } each, see invariants.ts).
  finding_count integer NOT NULL CHECK (finding_count >= 0),
  findings jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(findings) = 'array'),
  CHECK (ok = (finding_count = 0))
);
