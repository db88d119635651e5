-- Polls (issue 7): a question in ru/kk/en with two to ten options, asked of residents on the Telegram bot and the
-- portal. One answer per respondent and poll: the UNIQUE key below. The respondent key is a SHA-256 hash of who
-- answered (the Telegram user, or the portal's random token kept in the browser), never the identity itself, and
-- no answer row carries a resident's name, phone or e-mail. A second answer replaces the first while the poll is open.
CREATE TABLE polls (
  id          bigserial PRIMARY KEY,
  question    jsonb NOT NULL,                      -- {ru, kk, en}
  options     jsonb NOT NULL,                      -- [{id: "1", label: {ru, kk, en}}, ...] in the order shown
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  ask_district boolean NOT NULL DEFAULT true,      -- the flow offers "which district do you live in?" (optional)
  opens_at    timestamptz,                         -- answers are taken from here (set on opening when empty)
  closes_at   timestamptz,                         -- and until here; past it an open poll takes no more answers
  created_by  bigint REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX polls_open_idx ON polls (id) WHERE status = 'open';

CREATE TABLE poll_answers (
  id              bigserial PRIMARY KEY,
  poll_id         bigint NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  option_id       text NOT NULL,
  respondent_key  text NOT NULL,                   -- sha256 hex of "telegram:<user id>" or "web:<token>"
  channel         text NOT NULL CHECK (channel IN ('telegram', 'web')),
  district        text,                            -- as the resident chose it; null when not given
  answered_at     timestamptz NOT NULL DEFAULT now(),
  changed         int NOT NULL DEFAULT 0,          -- how many times this respondent changed their answer
  UNIQUE (poll_id, respondent_key)
);
