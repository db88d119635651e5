-- Incidents: many tickets about one problem (one burst pipe, fifty reports) grouped under one parent that is
-- worked once. The incident's number is its id (AST-2026-I00001), as an organisation's slug is its id, so a
-- ticket row names its incident directly.
CREATE TABLE incidents (
  id               text PRIMARY KEY,
  status           text NOT NULL,
  category         text REFERENCES categories(code),
  organisation_id  text REFERENCES organisations(id),
  district         text,
  address          text,                  -- the address most of its tickets give (public part: street and house)
  lat              double precision,      -- centroid of its tickets' points
  lon              double precision,
  title            text,                  -- an operator's title; without one, category and address name it
  opened_by        text NOT NULL CHECK (opened_by IN ('grouping', 'operator')),
  merged_into      text REFERENCES incidents(id),
  dissolved_at     timestamptz,           -- fewer than two tickets left (split, or merged into another incident)
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  resolved_at      timestamptz,
  closed_at        timestamptz,
  version          int NOT NULL DEFAULT 1
);
CREATE INDEX incidents_live_idx ON incidents (status, created_at DESC) WHERE dissolved_at IS NULL;

ALTER TABLE tickets ADD COLUMN incident_id text REFERENCES incidents(id);
CREATE INDEX tickets_incident_idx ON tickets (incident_id) WHERE incident_id IS NOT NULL;
