-- A membership imported from another site whose payment provider account this site cannot charge (a
-- different Stripe account, another test bank, or unknown): the member must confirm a payment method
-- here before the next renewal. Set on import, cleared when they do; while set, nothing is charged and
-- the membership ends with its paid period.
ALTER TABLE memberships ADD COLUMN payment_method_needed_since timestamptz;
