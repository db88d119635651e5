-- Operations: the clock facts a ticket carries so deadlines, escalations and the resident's loop can act on them,
-- and the head of an organisation as a role (they receive its escalations and oversee its contractors).
ALTER TABLE tickets ADD COLUMN assigned_at timestamptz;          -- when it last reached its current organisation
ALTER TABLE tickets ADD COLUMN accepted_at timestamptz;          -- when the organisation accepted it (first response)
ALTER TABLE tickets ADD COLUMN paused_at timestamptz;            -- set while waiting for the resident: the clock stops
ALTER TABLE tickets ADD COLUMN paused_minutes int NOT NULL DEFAULT 0; -- working minutes the clock stood still in all
ALTER TABLE tickets ADD COLUMN at_risk_at timestamptz;           -- when the resolution deadline becomes "at risk"
ALTER TABLE tickets ADD COLUMN reopen_count int NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN handback_count int NOT NULL DEFAULT 0;
UPDATE tickets SET assigned_at = created_at WHERE status <> 'new';
CREATE INDEX tickets_open_due_idx ON tickets (resolution_due) WHERE status IN ('new', 'assigned', 'in_progress', 'reopened', 'waiting');

ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check
  CHECK (role IN ('admin', 'supervisor', 'operator', 'executor', 'head', 'official'));
