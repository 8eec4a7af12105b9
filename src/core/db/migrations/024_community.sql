-- Community (src/community/CONTEXT.md): followers a channel owns (accounts and e-mail addresses; remote
-- actors stay in federation_followers), comments under videos, posts, and the e-mails sent for them.

-- One follower of a channel: a local account or an e-mail address alone (double opt-in).
CREATE TABLE community_followers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('account', 'email')),
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  -- Lower-cased; for an account follower the account's address is used instead.
  email text CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
  -- unconfirmed: an e-mail follower who has not clicked the confirm link yet (gets nothing else).
  -- active: gets what they chose. unsubscribed: left (kept so the consent history is known).
  -- bounced: the address bounced or complained; nothing is sent to it any more.
  status text NOT NULL CHECK (status IN ('unconfirmed', 'active', 'unsubscribed', 'bounced')),
  wants_videos boolean NOT NULL DEFAULT true,
  wants_posts boolean NOT NULL DEFAULT true,
  wants_campaigns boolean NOT NULL DEFAULT true,
  wants_members boolean NOT NULL DEFAULT true,
  -- When the fan ticked the consent box, and when they confirmed (e-mail followers).
  consent_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT community_followers_kind CHECK ((kind = 'account') = (user_id IS NOT NULL) AND (kind = 'email') = (email IS NOT NULL)),
  CONSTRAINT community_followers_account_key UNIQUE (channel_id, user_id),
  CONSTRAINT community_followers_email_key UNIQUE (channel_id, email)
);
CREATE INDEX community_followers_user ON community_followers (user_id) WHERE user_id IS NOT NULL;

-- Per channel: who may comment, and words that hold a comment for review.
CREATE TABLE community_settings (
  channel_id uuid PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  -- open: shown at once; members: only paying members may comment (shown at once);
  -- held: every comment waits for approval; closed: no new comments.
  comment_policy text NOT NULL DEFAULT 'open' CHECK (comment_policy IN ('open', 'members', 'held', 'closed')),
  watched_words text NOT NULL DEFAULT '' CHECK (length(watched_words) <= 4000),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Comments of local accounts under videos; replies from the fediverse stay in federation_comments and
-- are shown in the same thread.
CREATE TABLE community_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  parent_id uuid REFERENCES community_comments (id) ON DELETE CASCADE,
  author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  -- The Markdown subset rendered and sanitized when written.
  body_html text NOT NULL CHECK (length(body_html) <= 40000),
  status text NOT NULL CHECK (status IN ('held', 'approved', 'rejected')),
  -- Written by a member of the channel's team (shown as the creator's reply).
  by_team boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  edited_at timestamptz,
  deleted_at timestamptz
);
CREATE INDEX community_comments_video ON community_comments (video_id, created_at);
CREATE INDEX community_comments_held ON community_comments (channel_id, created_at) WHERE status = 'held';

-- A creator's post: public, or for the members of chosen tiers.
CREATE TABLE community_posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  slug text NOT NULL CHECK (slug ~ '^[A-Za-z0-9_-]{8,16}$') CONSTRAINT community_posts_slug_key UNIQUE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
  body_html text NOT NULL,
  audience text NOT NULL CHECK (audience IN ('public', 'members')),
  -- For 'members': the tiers it is for (empty: every tier).
  tier_ids uuid[] NOT NULL DEFAULT '{}',
  author_id uuid REFERENCES users (id) ON DELETE SET NULL,
  published_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_posts_channel ON community_posts (channel_id, published_at DESC);

-- One e-mailing: a post to its audience, or a new video to the followers who want videos.
CREATE TABLE community_mailings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('post', 'video')),
  subject_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  -- A subject is mailed once, however often its event is delivered.
  CONSTRAINT community_mailings_subject_key UNIQUE (kind, subject_id)
);

-- One recipient of a mailing. queued → sending → sent, or bounced / failed. A worker marks a row
-- 'sending' (committed) before handing it to SMTP and 'sent' right after, so a restart resends only
-- the rows of the message in flight (each carries the same Message-ID).
CREATE TABLE community_deliveries (
  mailing_id uuid NOT NULL REFERENCES community_mailings (id) ON DELETE CASCADE,
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  follower_id uuid REFERENCES community_followers (id) ON DELETE SET NULL,
  -- A member written to as a member (no follow of their own): their unsubscribe link names the account.
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  language text NOT NULL CHECK (language IN ('en', 'fr')),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'bounced', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text CHECK (length(last_error) <= 1000),
  sent_at timestamptz,
  PRIMARY KEY (mailing_id, email)
);
CREATE INDEX community_deliveries_todo ON community_deliveries (mailing_id, status) WHERE status IN ('queued', 'sending');
