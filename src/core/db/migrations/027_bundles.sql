-- Bundles: files of any kind grouped by a channel, part free, the rest unlocked by e-mail (double opt-in)
-- or by paying what one wants; bonus files for those who pay more than the running average.

CREATE TABLE bundles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  -- Public address: /b/<slug>.
  slug text NOT NULL CONSTRAINT bundles_slug_key UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,59}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- Markdown as written; rendered and sanitized when shown.
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  cover_key text,
  published boolean NOT NULL DEFAULT false,
  -- How the locked files are unlocked: an e-mail address, a payment, or either.
  unlock_by_email boolean NOT NULL DEFAULT true,
  unlock_by_payment boolean NOT NULL DEFAULT false,
  currency text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  -- Pay what you want: the least accepted (0 allowed) and the amount the form suggests, in minor units.
  minimum_amount bigint NOT NULL DEFAULT 0 CHECK (minimum_amount >= 0),
  suggested_amount bigint NOT NULL DEFAULT 0 CHECK (suggested_amount >= 0),
  -- "Pay more than the average to get the bonus files" (Humble): on or off.
  bonus_above_average boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bundles_channel ON bundles (channel_id, created_at DESC);

CREATE TABLE bundle_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bundle_id uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
  position integer NOT NULL DEFAULT 0,
  -- free: anyone; locked: after an unlock; bonus: after a payment above the average of its time.
  access text NOT NULL DEFAULT 'locked' CHECK (access IN ('free', 'locked', 'bonus')),
  -- The name fans see and save, also its path in the bundle's torrents and ZIP: unique in the bundle.
  filename text NOT NULL CHECK (filename ~ '^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,149}$' AND filename !~ '\.\.'),
  content_type text NOT NULL CHECK (length(content_type) <= 100),
  storage_key text NOT NULL,
  bytes bigint NOT NULL CHECK (bytes >= 0),
  -- Set when the file is one of the channel's videos (its MP4), else an upload.
  video_id uuid REFERENCES videos (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bundle_files_name_key UNIQUE (bundle_id, filename)
);

-- A fan's access to a bundle's locked (and maybe bonus) files.
CREATE TABLE bundle_unlocks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bundle_id uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
  method text NOT NULL CHECK (method IN ('email', 'payment')),
  email text CHECK (length(email) <= 254),
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr')),
  -- pending until the e-mail link is followed or the payment succeeds.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'unlocked')),
  -- E-mail: the fan ticked "add me to the creator's list"; the link's token, stored hashed, and its expiry.
  consent boolean NOT NULL DEFAULT false,
  token_hash text CONSTRAINT bundle_unlocks_token_key UNIQUE,
  token_expires_at timestamptz,
  -- Payment: the payment row, the amount paid, and the average it had to beat for the bonus files.
  payment_id uuid CONSTRAINT bundle_unlocks_payment_key UNIQUE REFERENCES payments (id) ON DELETE RESTRICT,
  amount bigint CHECK (amount >= 0),
  average_at_payment bigint CHECK (average_at_payment >= 0),
  bonus boolean NOT NULL DEFAULT false,
  unlocked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (method <> 'email' OR email IS NOT NULL),
  CHECK (method <> 'payment' OR payment_id IS NOT NULL)
);
CREATE INDEX bundle_unlocks_bundle ON bundle_unlocks (bundle_id, status);
CREATE INDEX bundle_unlocks_user ON bundle_unlocks (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX bundle_unlocks_email ON bundle_unlocks (lower(email)) WHERE email IS NOT NULL;

-- One BEP 3 info dictionary per bundle and access level, rebuilt when its files change (fingerprint).
CREATE TABLE bundle_torrents (
  bundle_id uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
  access text NOT NULL CHECK (access IN ('free', 'locked', 'bonus')),
  fingerprint text NOT NULL,
  info bytea NOT NULL,
  info_hash text NOT NULL CHECK (info_hash ~ '^[0-9a-f]{40}$'),
  total_bytes bigint NOT NULL CHECK (total_bytes >= 0),
  built_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bundle_id, access)
);
