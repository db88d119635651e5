-- The triage models the centre has learnt, kept in the database so every worker process reads the same one.
-- One model per purpose is active; older ones stay for comparison and rollback.
CREATE TABLE triage_models (
  id            bigserial PRIMARY KEY,
  purpose       text NOT NULL CHECK (purpose IN ('category')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  examples      integer NOT NULL,
  -- Where the examples came from: operator labels and imported history, with the newest label id used.
  sources       jsonb NOT NULL,
  classes       jsonb NOT NULL,
  metrics       jsonb,
  train_seconds real NOT NULL,
  model         bytea NOT NULL,
  active        boolean NOT NULL DEFAULT false,
  activated_at  timestamptz,
  reason        text NOT NULL
);
CREATE UNIQUE INDEX triage_models_active_idx ON triage_models (purpose) WHERE active;

-- A labelled history the city imports (text + label, any language): training data without a message behind it.
-- The same text with the same label imported twice is kept once.
CREATE TABLE training_examples (
  id          bigserial PRIMARY KEY,
  field       text NOT NULL CHECK (field IN ('category')),
  text        text NOT NULL,
  label       text NOT NULL,
  batch       text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  text_hash   text NOT NULL,
  UNIQUE (field, text_hash, label)
);
