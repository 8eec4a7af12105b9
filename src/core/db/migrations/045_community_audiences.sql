-- Community (src/community/CONTEXT.md), what was left of issue 17:
-- 1. A post for a campaign's backers: audience 'backers' names its campaign (and only then one).
ALTER TABLE community_posts DROP CONSTRAINT community_posts_audience_check;
ALTER TABLE community_posts ADD CONSTRAINT community_posts_audience_check CHECK (audience IN ('public', 'members', 'backers'));
ALTER TABLE community_posts ADD COLUMN campaign_id uuid REFERENCES campaigns (id) ON DELETE CASCADE;
ALTER TABLE community_posts ADD CONSTRAINT community_posts_campaign CHECK ((audience = 'backers') = (campaign_id IS NOT NULL));

-- 2. A campaign's launch e-mailed to the followers who chose "campaign updates".
ALTER TABLE community_mailings DROP CONSTRAINT community_mailings_kind_check;
ALTER TABLE community_mailings ADD CONSTRAINT community_mailings_kind_check CHECK (kind IN ('post', 'video', 'campaign'));

-- 3. Addresses that bounced (a 5xx at send time, or a delivery status notification, RFC 3464) or whose
-- owner complained (an abuse feedback report, RFC 5965): the site writes to them no more, whatever the
-- channel. One row per address; the last reason wins.
CREATE TABLE community_suppressions (
  email text PRIMARY KEY CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  reason text NOT NULL CHECK (reason IN ('bounced', 'complained')),
  -- The DSN's status code (5.1.1) or the report's feedback type (abuse), for the Studio.
  detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 200),
  at timestamptz NOT NULL
);

-- 4. A channel blocks an e-mail address: the account that has it (if any) and an e-mail follower with it.
ALTER TABLE community_blocks ADD COLUMN email text CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254);
ALTER TABLE community_blocks DROP CONSTRAINT community_blocks_what;
ALTER TABLE community_blocks ADD CONSTRAINT community_blocks_what CHECK (num_nonnulls(user_id, domain, email) = 1);
ALTER TABLE community_blocks ADD CONSTRAINT community_blocks_email_key UNIQUE (channel_id, email);

-- 5. Replies from the fediverse to a public post's Article: held and approved like replies to videos. Every
-- reply now names its channel (a channel's export takes its rows by channel_id; older replies are filled in
-- from their video), and a reply names a video or a post, never both.
ALTER TABLE federation_comments ALTER COLUMN video_id DROP NOT NULL;
ALTER TABLE federation_comments ADD COLUMN post_id uuid REFERENCES community_posts (id) ON DELETE CASCADE;
ALTER TABLE federation_comments ADD COLUMN channel_id uuid REFERENCES channels (id) ON DELETE CASCADE;
UPDATE federation_comments c SET channel_id = v.channel_id FROM videos v WHERE v.id = c.video_id;
ALTER TABLE federation_comments ADD CONSTRAINT federation_comments_subject
  CHECK ((video_id IS NULL) <> (post_id IS NULL) AND (post_id IS NULL OR channel_id IS NOT NULL));
CREATE INDEX federation_comments_post ON federation_comments (post_id, status) WHERE post_id IS NOT NULL;
