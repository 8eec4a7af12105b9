-- Federation (ActivityPub, through Fedify): see src/federation/CONTEXT.md for the words used here.

-- Fedify's key-value store, shared by every process: caches of remote documents and public keys,
-- and the marks of inbox activities already processed. The key is Fedify's key (an array of
-- strings) as JSON text.
CREATE TABLE federation_kv (
  key text PRIMARY KEY CHECK (length(key) BETWEEN 2 AND 4000),
  value jsonb NOT NULL,
  -- NULL: kept until deleted. Expired rows read as missing and are pruned by the reconcile job.
  expires_at timestamptz
);
CREATE INDEX federation_kv_expires ON federation_kv (expires_at) WHERE expires_at IS NOT NULL;

-- Key pairs of local actors, generated once (RSA for HTTP Signatures, Ed25519 for proofs).
-- `actor` is the Fedify identifier: 'owner' for the site owner's Person, 'channel:<uuid>' for a channel.
CREATE TABLE federation_actor_keys (
  actor text NOT NULL CHECK (actor = 'owner' OR actor ~ '^channel:[0-9a-f-]{36}$'),
  channel_id uuid REFERENCES channels (id) ON DELETE CASCADE,
  algorithm text NOT NULL CHECK (algorithm IN ('RSASSA-PKCS1-v1_5', 'Ed25519')),
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor, algorithm),
  CONSTRAINT federation_actor_keys_channel CHECK ((actor = 'owner') = (channel_id IS NULL))
);

-- Remote actors following a local channel. Only accepted follows are stored (we accept every follow).
CREATE TABLE federation_followers (
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_uri text NOT NULL CHECK (actor_uri ~ '^https?://' AND length(actor_uri) <= 2000),
  inbox_uri text NOT NULL CHECK (inbox_uri ~ '^https?://' AND length(inbox_uri) <= 2000),
  shared_inbox_uri text CHECK (shared_inbox_uri ~ '^https?://' AND length(shared_inbox_uri) <= 2000),
  follow_activity_uri text CHECK (length(follow_activity_uri) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, actor_uri)
);
CREATE INDEX federation_followers_actor ON federation_followers (actor_uri);

-- Remote actors a local channel follows (asked in the Studio); pending until the remote Accept.
CREATE TABLE federation_following (
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_uri text NOT NULL CHECK (actor_uri ~ '^https?://' AND length(actor_uri) <= 2000),
  inbox_uri text NOT NULL CHECK (inbox_uri ~ '^https?://' AND length(inbox_uri) <= 2000),
  shared_inbox_uri text CHECK (shared_inbox_uri ~ '^https?://' AND length(shared_inbox_uri) <= 2000),
  follow_activity_uri text NOT NULL CONSTRAINT federation_following_activity_key UNIQUE
    CHECK (length(follow_activity_uri) <= 2000),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted')),
  created_at timestamptz NOT NULL DEFAULT now(),
  accepted_at timestamptz,
  PRIMARY KEY (channel_id, actor_uri),
  CONSTRAINT federation_following_accepted CHECK ((status = 'accepted') = (accepted_at IS NOT NULL))
);
CREATE INDEX federation_following_actor ON federation_following (actor_uri);

-- Likes and shares (Announce) of local videos by remote actors: one per actor, video and kind.
CREATE TABLE federation_reactions (
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  actor_uri text NOT NULL CHECK (actor_uri ~ '^https?://' AND length(actor_uri) <= 2000),
  kind text NOT NULL CHECK (kind IN ('like', 'announce')),
  activity_uri text NOT NULL CHECK (length(activity_uri) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (video_id, kind, actor_uri)
);
CREATE INDEX federation_reactions_activity ON federation_reactions (activity_uri);
CREATE INDEX federation_reactions_actor ON federation_reactions (actor_uri);

-- Replies (Note inReplyTo a local video) from the fediverse, held until the team approves them.
CREATE TABLE federation_comments (
  note_uri text PRIMARY KEY CHECK (note_uri ~ '^https?://' AND length(note_uri) <= 2000),
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  actor_uri text NOT NULL CHECK (actor_uri ~ '^https?://' AND length(actor_uri) <= 2000),
  url text CHECK (length(url) <= 2000),
  -- Sanitized HTML (a small allow-list) as stored; never the remote text as received.
  content_html text NOT NULL CHECK (length(content_html) <= 20000),
  status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'approved', 'rejected')),
  published_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX federation_comments_video ON federation_comments (video_id, status, received_at DESC);
CREATE INDEX federation_comments_actor ON federation_comments (actor_uri);

-- Videos published by remote actors that a local channel follows ("from the fediverse").
CREATE TABLE federation_remote_videos (
  object_uri text PRIMARY KEY CHECK (object_uri ~ '^https?://' AND length(object_uri) <= 2000),
  actor_uri text NOT NULL CHECK (actor_uri ~ '^https?://' AND length(actor_uri) <= 2000),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  watch_url text CHECK (watch_url ~ '^https?://' AND length(watch_url) <= 2000),
  thumbnail_url text CHECK (thumbnail_url ~ '^https?://' AND length(thumbnail_url) <= 2000),
  duration_seconds integer CHECK (duration_seconds >= 0),
  published_at timestamptz,
  remote_updated_at timestamptz,
  -- The object as received (bounded by the inbox size limit), for fields not copied into columns.
  object jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX federation_remote_videos_actor ON federation_remote_videos (actor_uri, published_at DESC);

-- What followers were last told about each local video: published (and at which version) or deleted.
-- No foreign key to videos: the row outlives a deleted video so that its Delete can still be sent.
CREATE TABLE federation_video_state (
  video_id uuid PRIMARY KEY,
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  short_id text NOT NULL CHECK (short_id ~ '^[A-Za-z0-9_-]{8,16}$'),
  state text NOT NULL CHECK (state IN ('published', 'deleted')),
  -- videos.updated_at of the version last sent; an Update goes out when it changes.
  version timestamptz NOT NULL,
  changed_at timestamptz NOT NULL
);

-- Inboxes a video's Create or Update was sent to: its Delete goes to them too, so copies held by
-- servers whose users stopped following are removed as well.
CREATE TABLE federation_video_recipients (
  video_id uuid NOT NULL REFERENCES federation_video_state (video_id) ON DELETE CASCADE,
  inbox_uri text NOT NULL CHECK (inbox_uri ~ '^https?://' AND length(inbox_uri) <= 2000),
  PRIMARY KEY (video_id, inbox_uri)
);

-- Incoming activities applied, by id: a replayed activity is applied once.
CREATE TABLE federation_inbox_log (
  activity_uri text PRIMARY KEY CHECK (length(activity_uri) <= 2000),
  type text NOT NULL CHECK (length(type) <= 100),
  actor_uri text NOT NULL CHECK (length(actor_uri) <= 2000),
  object_uri text CHECK (length(object_uri) <= 2000),
  received_at timestamptz NOT NULL
);
CREATE INDEX federation_inbox_log_received ON federation_inbox_log (received_at);
