-- The city's configuration edited by an admin at run time: each save is a new version of one section (organisations,
-- categories, routing, sla, calendar, templates). The newest row per section wins over the file; a row with a NULL
-- value reverts the section to the file. Rows are never changed, so the table is the history of the configuration,
-- and its highest id is the version every process compares with its own to pick up an edit.
CREATE TABLE config_versions (
  id          bigserial PRIMARY KEY,
  section     text NOT NULL,
  value       jsonb,
  author_id   bigint REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX config_versions_section_idx ON config_versions (section, id DESC);
