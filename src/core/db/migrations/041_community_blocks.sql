-- Community (src/community/CONTEXT.md): a channel blocks a local account or a remote server (a domain). Their
-- new comments and follows are refused; their comments still held are rejected when the block is made.
CREATE TABLE community_blocks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  -- A host name, lower-cased; its subdomains are blocked with it.
  domain text CHECK (domain = lower(domain) AND length(domain) BETWEEN 1 AND 253),
  created_at timestamptz NOT NULL,
  CONSTRAINT community_blocks_what CHECK ((user_id IS NULL) <> (domain IS NULL)),
  CONSTRAINT community_blocks_user_key UNIQUE (channel_id, user_id),
  CONSTRAINT community_blocks_domain_key UNIQUE (channel_id, domain)
);
