-- Escalations that act (docs/escalation.md). Each step of a ticket's chain that fired is one row, unique per
-- (ticket, step, cycle): the sweep inserts it with ON CONFLICT DO NOTHING in the same transaction as its notices,
-- audit row and any move of the ticket, so a step fires exactly once even with two workers or a crash between.
-- The cycle names the ticket's current assignment and reopening, so a reassigned or reopened ticket escalates again.
CREATE TABLE escalations (
  id         bigserial PRIMARY KEY,
  ticket_id  bigint NOT NULL REFERENCES tickets(id),
  step       text NOT NULL,            -- chain/step, e.g. default/breach
  cycle      text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('first_response_breach', 'at_risk', 'breach', 'no_reaction')),
  due_at     timestamptz NOT NULL,     -- when the step fell due (it may fire later, after a stop)
  fired_at   timestamptz NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}',
  UNIQUE (ticket_id, step, cycle)
);

-- The daily summary of an organisation, once per local date.
CREATE TABLE daily_summaries (
  organisation_id  text NOT NULL REFERENCES organisations(id),
  local_date       text NOT NULL CHECK (local_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'), -- YYYY-MM-DD, the city's time
  sent_at          timestamptz NOT NULL,
  counts           jsonb NOT NULL,
  PRIMARY KEY (organisation_id, local_date)
);

-- What the sweep asks for, beside tickets_open_due_idx (resolution deadlines of open tickets): first responses
-- still owed, and assignments not accepted yet (the return timer).
CREATE INDEX tickets_first_response_owed_idx ON tickets (first_response_due) WHERE accepted_at IS NULL AND status IN ('new', 'assigned');
CREATE INDEX tickets_unaccepted_idx ON tickets (assigned_at) WHERE accepted_at IS NULL AND status = 'assigned';

-- Staff notices go by e-mail too: one row per notice the platform accepted, whichever channel (chat_id holds the
-- chat for Telegram, the address for e-mail).
ALTER TABLE staff_notifications ADD COLUMN channel text NOT NULL DEFAULT 'telegram';
