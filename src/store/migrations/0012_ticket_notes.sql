-- The organisation's working papers on a ticket: internal comments, photos from the site, the proof of a fix, the
-- question put to the resident and the reason a ticket was handed back. Staff-only: they never reach the resident,
-- public pages or Open311 (the question and the resolution note reach the resident as messages, not as notes).
CREATE TABLE ticket_notes (
  id              bigserial PRIMARY KEY,
  ticket_id       bigint NOT NULL REFERENCES tickets(id),
  author_user_id  bigint REFERENCES users(id),
  kind            text NOT NULL CHECK (kind IN ('comment', 'photo', 'proof', 'question', 'handback')),
  text            text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_notes_ticket_idx ON ticket_notes (ticket_id, id);

-- Photos of a note: images only, at most 5 MB each, checked again here so no path around the API stores more.
CREATE TABLE ticket_note_files (
  id            bigserial PRIMARY KEY,
  note_id       bigint NOT NULL REFERENCES ticket_notes(id),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/heic')),
  filename      text,
  size          int NOT NULL CHECK (size > 0 AND size <= 5242880),
  sha256        text NOT NULL,
  bytes         bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (note_id, sha256)
);
CREATE INDEX ticket_note_files_note_idx ON ticket_note_files (note_id);
