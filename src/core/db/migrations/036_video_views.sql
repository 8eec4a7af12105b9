-- View counts, privacy-respecting (issue 11): no cookie, no address stored. A view is counted once per
-- viewer per hour: `video_view_marks` keeps, for at most two hours, a keyed hash of (hour, address,
-- browser, video) — never the address — and `video_views` keeps only the count per video and day.
CREATE TABLE video_views (
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  day date NOT NULL,
  views integer NOT NULL DEFAULT 0 CHECK (views >= 0),
  PRIMARY KEY (video_id, day)
);

CREATE TABLE video_view_marks (
  mark text PRIMARY KEY CHECK (length(mark) <= 64),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX video_view_marks_created ON video_view_marks (created_at);
