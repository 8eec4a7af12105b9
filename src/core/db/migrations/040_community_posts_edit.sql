-- Community (src/community/CONTEXT.md): posts can be edited (their Article is updated on the fediverse; the
-- e-mails are never sent again) and deleted; fans comment under posts as under videos.
ALTER TABLE community_posts ADD COLUMN edited_at timestamptz;

-- Comments under posts: a comment answers a video or a post (the same model, policy and moderation).
ALTER TABLE community_comments ALTER COLUMN video_id DROP NOT NULL;
ALTER TABLE community_comments ADD COLUMN post_id uuid REFERENCES community_posts (id) ON DELETE CASCADE;
ALTER TABLE community_comments ADD CONSTRAINT community_comments_subject CHECK ((video_id IS NULL) <> (post_id IS NULL));
CREATE INDEX community_comments_post ON community_comments (post_id, created_at) WHERE post_id IS NOT NULL;
