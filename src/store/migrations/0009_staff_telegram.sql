-- Staff in Telegram: a staff user links their account to a private chat with the city's bot (one chat per user;
-- linking again replaces it) with a one-time code issued in the web app, and then gets work notifications there.
CREATE TABLE staff_telegram (
  user_id    bigint PRIMARY KEY REFERENCES users(id),
  chat_id    text NOT NULL,
  linked_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_telegram_chat_idx ON staff_telegram (chat_id);

-- The one-time linking code of a user (a new one replaces the old): only its SHA-256 is kept.
CREATE TABLE staff_telegram_codes (
  user_id     bigint PRIMARY KEY REFERENCES users(id),
  code_hash   text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL
);

-- Notifications Telegram accepted, one per outbox row: a repeated delivery of the row is not sent again, and
-- staff notices stay out of the resident's conversation of the ticket.
CREATE TABLE staff_notifications (
  idempotency_key  text PRIMARY KEY,
  user_id          bigint NOT NULL REFERENCES users(id),
  chat_id          text NOT NULL,
  platform_id      text NOT NULL,
  ticket_id        bigint REFERENCES tickets(id),
  sent_at          timestamptz NOT NULL DEFAULT now()
);
