-- Spike alerts (analytics/spike-sweep.ts): a category × district receiving significantly more messages than its
-- expected rate for the hour of the week and the season. The unique key (category, district, window start) means a
-- sweep that runs twice, in two processes or after a crash, stores and announces an alert once.
CREATE TABLE spike_alerts (
  id             bigserial PRIMARY KEY,
  category       text NOT NULL,
  district       text NOT NULL,
  window_start   timestamptz NOT NULL,
  window_end     timestamptz NOT NULL,
  observed       integer NOT NULL,
  expected       double precision NOT NULL,
  p_value        double precision NOT NULL,
  -- The numbers behind the expectation (base rate, hour-of-week and season factors), for the explanation.
  details        jsonb NOT NULL DEFAULT '{}',
  message_ids    bigint[] NOT NULL DEFAULT '{}',
  incident_id    text REFERENCES incidents (id),
  detected_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (category, district, window_start)
);
CREATE INDEX spike_alerts_recent_idx ON spike_alerts (detected_at DESC);
-- The detector reads recent inbound messages by time on every tick.
CREATE INDEX IF NOT EXISTS messages_in_received_idx ON messages (received_at) WHERE direction = 'in';
