-- Downloads: the progressive MP4 and M4A of each video (from the same transcode run as its HLS), the
-- creator's per-video choice (allowed or not, 720p or 1080p), and each video's BitTorrent metainfo.

ALTER TABLE videos ADD COLUMN downloads_allowed boolean NOT NULL DEFAULT true;
ALTER TABLE videos ADD COLUMN download_height integer NOT NULL DEFAULT 720 CHECK (download_height IN (720, 1080));
-- Relative to hls_prefix (the same transcode folder); sizes are the feeds' enclosure lengths.
ALTER TABLE videos ADD COLUMN download_file text CHECK (download_file IN ('download.mp4'));
ALTER TABLE videos ADD COLUMN download_bytes bigint CHECK (download_bytes >= 0);
ALTER TABLE videos ADD COLUMN audio_file text CHECK (audio_file IN ('audio.m4a'));
ALTER TABLE videos ADD COLUMN audio_bytes bigint CHECK (audio_bytes >= 0);

-- A BEP 3 v1 info dictionary per video MP4, rebuilt when the stored file changes. The url-list (web
-- seed) is outside the info dictionary and is added when the .torrent is served.
CREATE TABLE video_torrents (
  video_id uuid PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
  -- The storage key and entity tag the pieces were hashed from: a different one means rebuild.
  source_key text NOT NULL,
  source_etag text NOT NULL,
  info bytea NOT NULL,
  info_hash text NOT NULL CHECK (info_hash ~ '^[0-9a-f]{40}$'),
  built_at timestamptz NOT NULL DEFAULT now()
);
