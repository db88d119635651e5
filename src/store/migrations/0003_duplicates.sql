-- The same problem reported again: each triaged message may point at the earlier message it repeats.
ALTER TABLE message_triage ADD COLUMN duplicate_of bigint REFERENCES messages(id);
ALTER TABLE message_triage ADD COLUMN duplicate jsonb;
CREATE INDEX message_triage_recent_idx ON message_triage (created_at DESC);
