-- What a PeerTube export archive brought to a channel here, one row per thing (the channel itself, each
-- video, each of the creator's comments, each follower handle): importing the same archive again, or a
-- later export of the same PeerTube account, skips what is already here, and an import stopped between
-- its stages resumes where it stopped.
CREATE TABLE portability_peertube_items (
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  -- channel: source = the PeerTube channel's actor URL; video: its PeerTube uuid; comment: its URL;
  -- follower: the follower's handle (user@host), kept as a list, never a subscription (see CONTEXT.md).
  kind text NOT NULL CHECK (kind IN ('channel', 'video', 'comment', 'follower')),
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 2000),
  -- The row it became here (video or comment id); null for the channel and followers.
  target_id uuid,
  -- When it happened on PeerTube (the follow's date, for followers).
  source_at timestamptz,
  imported_at timestamptz NOT NULL,
  PRIMARY KEY (channel_id, kind, source)
);
CREATE INDEX portability_peertube_items_source ON portability_peertube_items (kind, source);
