-- Community (src/community/CONTEXT.md): posts can be edited (their Article is updated on the fediverse; the
-- e-mails are never sent again) and deleted; fans comment under posts as under videos.
ALTER TABLE community_posts ADD COLUMN edited_at timestamptz;

-- Comments under posts: a comment answers a video or a post (the same model, policy and moderation).
ALTER TABLE community_comments ALTER COLUMN video_id DROP NOT NULL;
ALTER TABLE community_comments ADD COLUMN post_id uuid REFERENCES community_posts (id) ON DELETE CASCADE;
ALTER TABLE community_comments ADD CONSTRAINT community_comments_subject CHECK ((video_id IS NULL) <> (post_id IS NULL));
CREATE INDEX community_comments_post ON community_comments (post_id, created_at) WHERE post_id IS NOT NULL;

-- A fan's report of a comment or a post (the report button): it waits in the channel's moderation queue,
-- where approving keeps what was reported and rejecting removes it. One report per fan and thing.
CREATE TABLE community_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  comment_id uuid REFERENCES community_comments (id) ON DELETE CASCADE,
  post_id uuid REFERENCES community_posts (id) ON DELETE CASCADE,
  reporter_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (length(reason) <= 1000),
  status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'approved', 'rejected')),
  created_at timestamptz NOT NULL,
  CONSTRAINT community_reports_subject CHECK ((comment_id IS NULL) <> (post_id IS NULL)),
  CONSTRAINT community_reports_comment_key UNIQUE (comment_id, reporter_id),
  CONSTRAINT community_reports_post_key UNIQUE (post_id, reporter_id)
);
CREATE INDEX community_reports_held ON community_reports (channel_id, created_at) WHERE status = 'held';
