-- A recommendation resolved through ActivityPub keeps the object's id and the actor it is attributed
-- to, so the channel can Announce it to its followers and tell the recommended creator (and Undo it).
-- Null for recommendations read from oEmbed or Open Graph.

ALTER TABLE recommendations
  ADD COLUMN object_id text CHECK (object_id ~ '^https?://' AND length(object_id) <= 2048),
  ADD COLUMN object_actor text CHECK (object_actor ~ '^https?://' AND length(object_actor) <= 2048);
