-- Recommendations across sites: videos on other sites that a channel recommends (a snapshot read once
-- when the link was pasted), and the other sites' actors who recommend ours (filled from incoming
-- ActivityPub Announces by the federation capability).

CREATE TABLE recommendations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  -- A checked copy of the remote picture in media storage; browsers never load the other site's image.
  thumbnail_key text CHECK (thumbnail_key ~ '^recommendations/[0-9a-f-]{36}\.(png|jpg|webp)$'),
  author_name text CHECK (length(author_name) BETWEEN 1 AND 200),
  author_url text CHECK (author_url ~ '^https?://' AND length(author_url) <= 2048),
  site_name text CHECK (length(site_name) BETWEEN 1 AND 200),
  source text NOT NULL CHECK (source IN ('activitypub', 'oembed', 'opengraph')),
  -- The creator's own words about the video.
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  -- Order on the shelf, smallest first.
  position integer NOT NULL CHECK (position > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT recommendations_channel_url_key UNIQUE (channel_id, url)
);
CREATE INDEX recommendations_shelf ON recommendations (channel_id, position);

CREATE TABLE recommended_by (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  -- Our video they recommend; null when the object is the channel itself or a video since deleted.
  video_id uuid REFERENCES videos (id) ON DELETE CASCADE,
  -- Our object as the remote site named it.
  object_url text NOT NULL CHECK (object_url ~ '^https?://' AND length(object_url) <= 2048),
  -- The remote actor (its ActivityPub id) and how to show it.
  actor_url text NOT NULL CHECK (actor_url ~ '^https?://' AND length(actor_url) <= 2048),
  actor_name text CHECK (length(actor_name) BETWEEN 1 AND 200),
  profile_url text CHECK (profile_url ~ '^https?://' AND length(profile_url) <= 2048),
  -- The Announce's id, so an Undo can find it.
  activity_id text CHECK (activity_id ~ '^https?://' AND length(activity_id) <= 2048),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- One actor recommending one object is one row, however many times the Announce is delivered.
  CONSTRAINT recommended_by_actor_object_key UNIQUE (actor_url, object_url)
);
CREATE UNIQUE INDEX recommended_by_activity ON recommended_by (activity_id) WHERE activity_id IS NOT NULL;
CREATE INDEX recommended_by_channel ON recommended_by (channel_id, created_at DESC);
