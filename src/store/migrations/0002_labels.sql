-- Learning from operators: every category an operator sets or confirms is a labelled example, kept with what
-- the engine had said, so the model can retrain on it and its accuracy on recent work can be shown.
CREATE TABLE labels (
  id           bigserial PRIMARY KEY,
  message_id   bigint NOT NULL REFERENCES messages(id),
  field        text NOT NULL CHECK (field IN ('category', 'kind', 'urgency', 'district')),
  value        text NOT NULL,
  predicted    text,
  engine       text,
  source       text NOT NULL CHECK (source IN ('operator', 'import')),
  user_id      bigint REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, field)
);
CREATE INDEX labels_recent_idx ON labels (field, created_at DESC);
