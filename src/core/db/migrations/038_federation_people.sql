-- Federation of local comments (src/federation/comment-notes.ts): a comment written on this site reaches
-- the fediverse as a Note attributed to its author's own Person actor (`/ap/a/u-<account id>`), as PeerTube
-- requires of a comment (its author must be an account, not a channel). That Person signs with its own
-- key pair, generated on first use like the others: 'user:<uuid>' rows, removed with the account.
ALTER TABLE federation_actor_keys DROP CONSTRAINT federation_actor_keys_actor_check;
ALTER TABLE federation_actor_keys DROP CONSTRAINT federation_actor_keys_channel;
ALTER TABLE federation_actor_keys ADD COLUMN user_id uuid REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE federation_actor_keys ADD CONSTRAINT federation_actor_keys_owner CHECK (
  (actor IN ('owner', 'instance') AND channel_id IS NULL AND user_id IS NULL)
  OR (actor ~ '^channel:[0-9a-f-]{36}$' AND channel_id IS NOT NULL AND user_id IS NULL)
  OR (actor ~ '^user:[0-9a-f-]{36}$' AND channel_id IS NULL AND user_id IS NOT NULL)
);
