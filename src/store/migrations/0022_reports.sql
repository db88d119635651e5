-- Reports (issue 7): the daily digest for the akim and deputies, built once per local day, language and format
-- (PDF, XLSX) and kept as an archive; the bytes live here so a download, a Telegram document and an e-mail
-- attachment are the very file that was built, whichever process sends it. report_runs marks a day's digest as
-- delivered: the sweep that inserts the row queues the notices in the same transaction, so each recipient gets
-- the day's reports exactly once, whichever worker gets there first.
CREATE TABLE reports (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL,
  date        text NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'), -- YYYY-MM-DD, the city's time
  language    text NOT NULL,
  format      text NOT NULL CHECK (format IN ('pdf', 'xlsx')),
  bytes       bytea NOT NULL,
  size        integer NOT NULL,
  created_by  bigint REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, date, language, format)
);
CREATE INDEX reports_date_idx ON reports (date DESC, id DESC);

CREATE TABLE report_runs (
  kind          text NOT NULL,
  date          text NOT NULL,
  delivered_at  timestamptz NOT NULL,
  recipients    integer NOT NULL,
  PRIMARY KEY (kind, date)
);
