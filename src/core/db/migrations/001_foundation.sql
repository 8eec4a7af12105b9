-- Foundation: one site, its owner, fans, channels with their own admins, sessions, magic links, rate limits.

-- Exactly one row once the site is set up: the primary key makes a second setup impossible, even in a race.
CREATE TABLE site (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  set_up_at timestamptz NOT NULL DEFAULT now()
);

-- Secrets generated at first start (signing keys) so every process of one site shares them.
CREATE TABLE instance_secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored lower-cased by the application; unique so one address is one account.
  email text NOT NULL CONSTRAINT users_email_key UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
  password_hash text,
  -- Site-wide role. Channel rights (admin, editor) live in channel_roles.
  site_role text NOT NULL DEFAULT 'member' CHECK (site_role IN ('owner', 'member')),
  language text CHECK (language IN ('en', 'fr')),
  email_verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A site has exactly one owner.
CREATE UNIQUE INDEX users_single_owner ON users (site_role) WHERE site_role = 'owner';

CREATE TABLE channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  handle text NOT NULL CONSTRAINT channels_handle_key UNIQUE CHECK (handle ~ '^[a-z0-9_]{2,30}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  language text NOT NULL CHECK (language IN ('en', 'fr')),
  avatar_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Who runs each channel. The site owner has every right on every channel without a row here.
CREATE TABLE channel_roles (
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'editor')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_roles_user ON channel_roles (user_id);

-- Only a hash of the session token is stored: a leaked table does not leak live sessions.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A magic link both signs up and logs in: the account is created when the link is used,
-- so nobody can squat an address they do not read.
CREATE TABLE magic_links (
  token_hash text PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email)),
  display_name text CHECK (length(display_name) BETWEEN 1 AND 80),
  password_hash text,
  language text CHECK (language IN ('en', 'fr')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX magic_links_expires ON magic_links (expires_at);

-- Fixed-window counters shared by every process of the site.
CREATE TABLE rate_limits (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL CHECK (hits > 0),
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
