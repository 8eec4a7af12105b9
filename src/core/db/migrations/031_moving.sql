-- Moving a channel's audience to another site (src/federation/move.ts, src/moving/): see
-- src/moving/CONTEXT.md for the words used here.

-- "This channel came from …": remote actors a local channel says it also is (ActivityPub `alsoKnownAs`).
-- A site moving a channel here checks that the new channel lists the old one before it sends `Move`.
CREATE TABLE federation_actor_aliases (
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_uri text NOT NULL CHECK (actor_uri ~ '^https?://' AND length(actor_uri) <= 2000),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (channel_id, actor_uri)
);

-- A local channel moved to another site: its Group gets `movedTo`, its followers were sent `Move`, its
-- pages answer 301 to the new site. One move per channel; moving again replaces it.
CREATE TABLE federation_moves (
  channel_id uuid PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  -- The new channel's actor id, and its page for people (the actor's `url`, else its id).
  target_actor_uri text NOT NULL CHECK (target_actor_uri ~ '^https?://' AND length(target_actor_uri) <= 2000),
  target_page_url text NOT NULL CHECK (target_page_url ~ '^https?://' AND length(target_page_url) <= 2000),
  move_activity_uri text NOT NULL CHECK (length(move_activity_uri) <= 2000),
  moved_at timestamptz NOT NULL
);

-- Videos imported from a YouTube Takeout archive (src/moving/youtube): importing the same archive again
-- skips them.
CREATE TABLE youtube_imports (
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  youtube_id text NOT NULL CHECK (youtube_id ~ '^[A-Za-z0-9_-]{6,20}$'),
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL,
  PRIMARY KEY (channel_id, youtube_id)
);
