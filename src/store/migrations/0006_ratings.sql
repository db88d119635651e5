-- Residents' ratings of how their ticket was handled (1–5, optional comment), one per ticket: a second rating
-- by the same resident replaces the first. Written by tickets/resident.ts through commitChange (audited).
CREATE TABLE ratings (
  ticket_id    bigint PRIMARY KEY REFERENCES tickets(id),
  resident_id  bigint NOT NULL REFERENCES residents(id),
  score        smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment      text,
  channel      text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ratings_created_idx ON ratings (created_at);
