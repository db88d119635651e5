-- Watchlists: the officials and official pages the centre listens for, and the hashtags and keywords that make a
-- public post worth hearing. Loaded from the city's configuration at start; admins edit them at run time (an
-- edited entry becomes the admin's and is no longer overwritten by the configuration).
CREATE TABLE watch_accounts (
  id              text PRIMARY KEY,
  name            jsonb NOT NULL,
  title           jsonb NOT NULL,
  organisation_id text REFERENCES organisations(id),
  handles         jsonb NOT NULL DEFAULT '{}',
  source          text NOT NULL CHECK (source IN ('config', 'admin')),
  active          boolean NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE watch_terms (
  kind       text NOT NULL CHECK (kind IN ('hashtag', 'keyword')),
  language   text NOT NULL CHECK (language IN ('any', 'ru', 'kk', 'en')),
  term       text NOT NULL,
  source     text NOT NULL CHECK (source IN ('config', 'admin')),
  PRIMARY KEY (kind, language, term)
);
-- The hashtags and keywords of the watchlist a message contains.
ALTER TABLE messages ADD COLUMN heard_terms text[] NOT NULL DEFAULT '{}';
CREATE INDEX messages_addressed_idx ON messages USING gin (addressed_to);
