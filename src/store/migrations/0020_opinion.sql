-- Opinion on a question (issue 7; analytics/opinion.ts, docs/analytics.md "Opinion on a question"): an analyst's
-- question with keywords and a few example posts per stance; the messages found about it with the stance read by
-- the model or set by the analyst. One match per question and message, so re-reading a message updates it.
CREATE TABLE opinion_questions (
  id               bigserial PRIMARY KEY,
  title            jsonb NOT NULL,                       -- {ru, kk, en}
  keywords         text[] NOT NULL,
  channel_weights  jsonb,                                -- target share of each channel, or null: districts only
  created_by       bigint REFERENCES users(id),
  active           boolean NOT NULL DEFAULT true,
  -- The highest message id read so far: history is read in batches up to it, new messages after it.
  scanned_to       bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE opinion_examples (
  id           bigserial PRIMARY KEY,
  question_id  bigint NOT NULL REFERENCES opinion_questions(id) ON DELETE CASCADE,
  stance       text NOT NULL CHECK (stance IN ('for', 'against', 'neutral')),
  text         text NOT NULL
);
CREATE INDEX opinion_examples_question_idx ON opinion_examples (question_id);

CREATE TABLE opinion_matches (
  question_id  bigint NOT NULL REFERENCES opinion_questions(id) ON DELETE CASCADE,
  message_id   bigint NOT NULL REFERENCES messages(id),
  stance       text NOT NULL CHECK (stance IN ('for', 'against', 'neutral')),
  source       text NOT NULL CHECK (source IN ('model', 'analyst')),
  sentiment    text,
  score        real NOT NULL,
  confidence   real NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (question_id, message_id)
);
