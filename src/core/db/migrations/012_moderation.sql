-- One moderation vocabulary (src/moderation/CONTEXT.md): a tip's message waiting for review is 'held',
-- as fediverse replies already are.
ALTER TABLE tips DROP CONSTRAINT tips_message_status_check;
UPDATE tips SET message_status = 'held' WHERE message_status = 'pending';
ALTER TABLE tips ADD CONSTRAINT tips_message_status_check CHECK (message_status IN ('none', 'held', 'approved', 'rejected'));
