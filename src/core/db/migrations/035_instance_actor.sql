-- The site's instance actor (issue 10 D15): an Application with PeerTube's server-actor name `peertube`
-- (/ap/a/peertube), so a PeerTube admin can follow the whole site by its host. It has keys of its own,
-- and its followers (remote servers) hear of every channel's public videos.
ALTER TABLE federation_actor_keys DROP CONSTRAINT federation_actor_keys_actor_check;
ALTER TABLE federation_actor_keys DROP CONSTRAINT federation_actor_keys_channel;
ALTER TABLE federation_actor_keys ADD CONSTRAINT federation_actor_keys_actor_check CHECK (actor IN ('owner', 'instance') OR actor ~ '^channel:[0-9a-f-]{36}$');
ALTER TABLE federation_actor_keys ADD CONSTRAINT federation_actor_keys_channel CHECK ((actor IN ('owner', 'instance')) = (channel_id IS NULL));

CREATE TABLE federation_instance_followers (
  actor_uri text PRIMARY KEY CHECK (actor_uri ~ '^https?://' AND length(actor_uri) <= 2000),
  inbox_uri text NOT NULL CHECK (inbox_uri ~ '^https?://' AND length(inbox_uri) <= 2000),
  shared_inbox_uri text CHECK (shared_inbox_uri ~ '^https?://' AND length(shared_inbox_uri) <= 2000),
  follow_activity_uri text CHECK (length(follow_activity_uri) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now()
);
