-- Community (src/community/CONTEXT.md): posts can be edited (their Article is updated on the fediverse; the
-- e-mails are never sent again), and deleted.
ALTER TABLE community_posts ADD COLUMN edited_at timestamptz;
