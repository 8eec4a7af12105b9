-- Payment notices can be dismissed (issue 9): the creator (or the site owner, for notices about no known
-- payment) marks one as read and the Studio stops showing it; the row stays, for the record.
ALTER TABLE payment_notices ADD COLUMN dismissed_at timestamptz;
DROP INDEX payment_notices_channel;
CREATE INDEX payment_notices_channel ON payment_notices (channel_id, created_at DESC) WHERE dismissed_at IS NULL;
