-- What happened on a channel, for its team: new tips and members, cancellations, failed renewals,
-- followers, transcodes. One row per happening (dedupe_key: a replayed event adds nothing).
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z_]*$'),
  -- The values the message shows (amounts already formatted are not stored: the reader's language decides).
  params jsonb NOT NULL DEFAULT '{}',
  link text CHECK (link IS NULL OR link ~ '^/'),
  dedupe_key text NOT NULL UNIQUE CHECK (length(dedupe_key) <= 300),
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  -- Sent by e-mail (at once or in a digest); NULL while waiting, or when the team chose no e-mail.
  emailed_at timestamptz
);
CREATE INDEX notifications_channel ON notifications (channel_id, created_at DESC);
CREATE INDEX notifications_unsent ON notifications (channel_id) WHERE emailed_at IS NULL;

-- How a channel's team wants its notifications by e-mail: each at once, one daily digest, or none.
CREATE TABLE notification_settings (
  channel_id uuid PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  email text NOT NULL DEFAULT 'immediate' CHECK (email IN ('immediate', 'digest', 'off')),
  last_digest_at timestamptz
);
