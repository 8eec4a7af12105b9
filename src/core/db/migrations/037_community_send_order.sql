-- Community mailings (src/community/mailings.ts): the next recipient to write to is the first address, in
-- order, still queued or sending. One index walked in that order finds it without sorting the mailing's
-- remaining rows (the (mailing_id, status) index made every claim sort them: quadratic over a mailing).
DROP INDEX IF EXISTS community_deliveries_todo;
CREATE INDEX community_deliveries_next ON community_deliveries (mailing_id, email) WHERE status IN ('queued', 'sending');
