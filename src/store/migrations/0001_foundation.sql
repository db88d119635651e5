-- Foundation: city reference data, residents, messages in and out, triage, tickets, users, audit, outbox.
-- Forward-only: never edit once landed; add a new numbered file instead.

CREATE TABLE organisations (
  id          text PRIMARY KEY,
  parent_id   text REFERENCES organisations(id),
  kind        text NOT NULL,
  name        jsonb NOT NULL,            -- {"ru": …, "kk": …, "en": …}
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE categories (
  code        text PRIMARY KEY,
  name        jsonb NOT NULL,
  grp         text,
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE residents (
  id          bigserial PRIMARY KEY,
  name        text,
  phone       text,
  email       text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE resident_identities (
  id                bigserial PRIMARY KEY,
  resident_id       bigint NOT NULL REFERENCES residents(id),
  channel           text NOT NULL,
  external_user_id  text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, external_user_id)
);

CREATE TABLE messages (
  id           bigserial PRIMARY KEY,
  channel      text NOT NULL,
  external_id  text NOT NULL,
  thread_ref   text,
  direction    text NOT NULL CHECK (direction IN ('in', 'out')),
  resident_id  bigint REFERENCES residents(id),
  author_user_id bigint,                 -- the operator who entered it (phone) or wrote it (replies)
  text         text NOT NULL,
  location     jsonb,                    -- {"lat":…, "lon":…, "address":…} as the sender gave it
  raw          jsonb NOT NULL DEFAULT '{}'::jsonb,
  stage        text NOT NULL DEFAULT 'received' CHECK (stage IN ('received', 'triaged', 'done')),
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, external_id)
);
CREATE INDEX messages_pending_idx ON messages (received_at) WHERE stage <> 'done' AND direction = 'in';

CREATE TABLE attachments (
  id            bigserial PRIMARY KEY,
  message_id    bigint NOT NULL REFERENCES messages(id),
  content_type  text NOT NULL,
  filename      text,
  bytes         bytea NOT NULL,
  sha256        text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, sha256)
);

CREATE TABLE message_triage (
  message_id     bigint PRIMARY KEY REFERENCES messages(id),
  engine         text NOT NULL,
  language       text NOT NULL,
  kind           text NOT NULL,
  category       text,
  confidence     real NOT NULL,
  sentiment      text NOT NULL,
  urgency        text NOT NULL,
  address        text,
  lat            double precision,
  lon            double precision,
  district       text,
  dup_signature  text,
  explanation    jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ticket_counters (
  prefix  text NOT NULL,
  year    int NOT NULL,
  value   int NOT NULL,
  PRIMARY KEY (prefix, year)
);

CREATE TABLE tickets (
  id                  bigserial PRIMARY KEY,
  number              text NOT NULL UNIQUE,
  status              text NOT NULL,
  category            text REFERENCES categories(code),
  organisation_id     text REFERENCES organisations(id),
  district            text,
  address             text,
  lat                 double precision,
  lon                 double precision,
  urgency             text NOT NULL,
  language            text NOT NULL,
  channel             text NOT NULL,
  source_message_id   bigint NOT NULL UNIQUE REFERENCES messages(id),
  resident_id         bigint REFERENCES residents(id),
  routing_trace       jsonb NOT NULL,
  first_response_due  timestamptz,
  resolution_due      timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  resolved_at         timestamptz,
  closed_at           timestamptz,
  version             int NOT NULL DEFAULT 1
);
CREATE INDEX tickets_org_status_idx ON tickets (organisation_id, status);
CREATE INDEX tickets_status_created_idx ON tickets (status, created_at DESC);
CREATE INDEX tickets_category_idx ON tickets (category, created_at DESC);

CREATE TABLE ticket_messages (
  ticket_id   bigint NOT NULL REFERENCES tickets(id),
  message_id  bigint NOT NULL UNIQUE REFERENCES messages(id),
  PRIMARY KEY (ticket_id, message_id)
);

CREATE TABLE users (
  id             bigserial PRIMARY KEY,
  email          text NOT NULL UNIQUE,
  name           text NOT NULL,
  password_hash  text NOT NULL,
  locale         text NOT NULL DEFAULT 'ru',
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  user_id          bigint NOT NULL REFERENCES users(id),
  role             text NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator', 'executor')),
  organisation_id  text REFERENCES organisations(id),
  PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_type   text NOT NULL CHECK (actor_type IN ('user', 'resident', 'system')),
  actor_id     text,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text NOT NULL,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_entity_idx ON audit_log (entity_type, entity_id, id);

-- The audit log is append-only: the database itself refuses to change or remove a row.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  channel          text NOT NULL,
  ticket_id        bigint REFERENCES tickets(id),
  target           jsonb NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE channel_cursors (
  channel  text NOT NULL,
  key      text NOT NULL,
  value    text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, key)
);
