-- Peer-to-peer playback: the creator's site-wide default, and the bytes viewers report per video
-- (from peers vs from the site) for the Studio's offload figures.

CREATE TABLE p2p_settings (
  -- One row for the site.
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- Whether a fan who never chose gets P2P on (they can always switch it in the player).
  enabled_by_default boolean NOT NULL
);

CREATE TABLE p2p_video_bytes (
  video_id uuid PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
  peer_bytes bigint NOT NULL DEFAULT 0 CHECK (peer_bytes >= 0),
  http_bytes bigint NOT NULL DEFAULT 0 CHECK (http_bytes >= 0),
  reports integer NOT NULL DEFAULT 0 CHECK (reports >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
