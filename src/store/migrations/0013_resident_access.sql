-- The resident's loop on the web. Someone who files an appeal on the portal gets a secret access key once; only
-- its SHA-256 is kept here, bound to the message that opened the ticket (the key exists before the ticket number
-- does). Holding the key is the proof that lets them read their own conversation and confirm, reopen, rate or add
-- details; a wrong key looks exactly like an unknown number.
CREATE TABLE resident_access (
  key_hash    text PRIMARY KEY,
  message_id  bigint NOT NULL REFERENCES messages(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_access_message_idx ON resident_access (message_id);

-- A portal appeal without contact details has no resident row: its rating is the key holder's, known by the ticket.
ALTER TABLE ratings ALTER COLUMN resident_id DROP NOT NULL;

-- The confirmation-window sweep looks for resolved tickets by when they were resolved.
CREATE INDEX tickets_resolved_at_idx ON tickets (resolved_at) WHERE status = 'resolved';
