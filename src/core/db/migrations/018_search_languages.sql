-- Search in the video's language: stemmed ("bols" finds "bol") and accent-insensitive ("gres" finds
-- "grès"), over the title, the tags and the description. unaccent is a trusted contrib extension on
-- PostgreSQL (a database owner may create it) and ships with PGlite (loaded by core/db/pglite.ts).
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION fanfare_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fanfare_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION fanfare_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION fanfare_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION fanfare_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION fanfare_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- array_to_string is only STABLE (element output functions could depend on settings); on text[] it
-- is not, so this wrapper may say IMMUTABLE and feed a stored generated column.
CREATE FUNCTION fanfare_video_document(language text, title text, description text, tags text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(c, title), 'A') || setweight(to_tsvector(c, array_to_string(tags, ' ')), 'B')
      || setweight(to_tsvector(c, description), 'C')
    FROM (SELECT CASE WHEN language LIKE 'fr%' THEN 'fanfare_fr'::regconfig
                      WHEN language LIKE 'en%' THEN 'fanfare_en'::regconfig
                      ELSE 'fanfare_simple'::regconfig END AS c) AS config
$$;

DROP INDEX videos_search;
ALTER TABLE videos DROP COLUMN search;
ALTER TABLE videos ADD COLUMN search tsvector GENERATED ALWAYS AS (fanfare_video_document(language, title, description, tags)) STORED;
CREATE INDEX videos_search ON videos USING gin (search);

-- The creator's choice for the paywall of a members-only video: its poster shown as is, or blurred.
ALTER TABLE videos ADD COLUMN paywall_poster text NOT NULL DEFAULT 'blurred' CHECK (paywall_poster IN ('shown', 'blurred'));
