-- Videos: uploads, metadata, the HLS output of transcoding, captions, and where fans stopped watching.

CREATE TABLE videos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Short, unguessable id for URLs (/v/<short_id>): unlisted videos rely on it not being enumerable.
  short_id text NOT NULL CONSTRAINT videos_short_id_key UNIQUE CHECK (short_id ~ '^[A-Za-z0-9_-]{8,16}$'),
  channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  uploader_id uuid REFERENCES users (id) ON DELETE SET NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- Markdown as written; rendered and sanitized when shown.
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 10),
  language text CHECK (language IN ('en', 'fr')),
  licence text NOT NULL DEFAULT 'all_rights_reserved'
    CHECK (licence IN ('all_rights_reserved', 'cc_by', 'cc_by_sa', 'cc_by_nd', 'cc_by_nc', 'cc_by_nc_sa', 'cc_by_nc_nd', 'cc0')),
  -- members: only members of the channel see it (enforced by the memberships capability; team-only until then).
  visibility text NOT NULL DEFAULT 'draft' CHECK (visibility IN ('draft', 'public', 'unlisted', 'members')),
  -- Scheduled publishing: a non-draft video is hidden from everyone but its team until this time.
  publish_at timestamptz,
  -- Pipeline state. failure_message is shown to the creator as is.
  status text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed')),
  failure_message text CHECK (length(failure_message) <= 1000),
  transcode_job_id bigint REFERENCES jobs (id) ON DELETE SET NULL,
  original_filename text NOT NULL DEFAULT '' CHECK (length(original_filename) <= 255),
  source_key text,
  source_bytes bigint CHECK (source_bytes >= 0),
  duration_seconds double precision CHECK (duration_seconds >= 0),
  width integer CHECK (width > 0),
  height integer CHECK (height > 0),
  -- Where the HLS ladder lives in media storage, and what it holds (heights, bandwidths, codecs).
  hls_prefix text,
  renditions jsonb NOT NULL DEFAULT '[]',
  has_storyboard boolean NOT NULL DEFAULT false,
  poster_key text,
  custom_thumbnail_key text,
  -- [{ "start": seconds, "title": "..." }], sorted by start.
  chapters jsonb NOT NULL DEFAULT '[]',
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX videos_channel_listing ON videos (channel_id, created_at DESC);
CREATE INDEX videos_search ON videos USING gin (search);

CREATE TABLE video_captions (
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  language text NOT NULL CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
  storage_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (video_id, language)
);

CREATE TABLE watch_positions (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  position_seconds double precision NOT NULL CHECK (position_seconds >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, video_id)
);
