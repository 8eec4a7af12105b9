-- Adding someone to a channel's team must not tell the admin whether the address has an account
-- (issue 9). So every addition is an invitation, e-mailed to the address and shown as pending on the
-- team page in the same way for everyone; the role is given when the address's owner, signed in with
-- it, accepts. Only the hash of the invitation's token is kept, like magic links.
CREATE TABLE team_invitations (
  token_hash text PRIMARY KEY,
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  role text NOT NULL CHECK (role IN ('admin', 'editor')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz
);
CREATE INDEX team_invitations_pending ON team_invitations (channel_id, created_at DESC) WHERE accepted_at IS NULL;
