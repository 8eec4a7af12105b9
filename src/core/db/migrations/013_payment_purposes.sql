-- Every purpose a payment can serve, named once for the funding capabilities that land next
-- (the monthly fan budget, all-or-nothing campaigns, bundles), so their migrations need not race
-- to redefine this constraint. The words are those of src/funding/CONTEXT.md and the ledger's sources.
ALTER TABLE payments DROP CONSTRAINT payments_purpose_check;
ALTER TABLE payments ADD CONSTRAINT payments_purpose_check
  CHECK (purpose IN ('tip', 'membership', 'fan_budget', 'campaign', 'bundle'));
