-- Analytics rollups (issue 7): every inbound message once triaged is counted in one cell of
-- (time, category, district, channel, language, kind, sentiment), so the situation centre reads small
-- pre-summed tables instead of scanning millions of messages. See docs/analytics.md "What is counted and how".
--
-- Dimensions are text NOT NULL with '' for "none" (no category, no district): a primary key cannot hold NULL,
-- and '' is never a real code. Counts are kept by upserts of +n / -n; a row that falls to 0 is deleted.

-- The ledger: one row per counted message, holding the cell it is counted in. Inserting here ON CONFLICT DO
-- NOTHING is what makes counting idempotent (a redelivered or re-triaged message finds its row and adds nothing);
-- comparing the stored cell with the message's cell now is what moves it after an operator's correction.
-- No foreign key to messages: the ledger must never block another part of the system from removing a message.
CREATE TABLE analytics_counted (
  message_id  bigint PRIMARY KEY,
  hour        timestamptz NOT NULL,
  day         date NOT NULL,          -- the local (city) date of the hour
  category    text NOT NULL,
  district    text NOT NULL,
  channel     text NOT NULL,
  language    text NOT NULL,
  kind        text NOT NULL,
  sentiment   text NOT NULL,
  resident_id bigint,                 -- null: a message with no known resident (counted, but as no resident)
  counted_at  timestamptz NOT NULL DEFAULT now()
);

-- Hourly cells: live views (today, the last 24 hours) and hour buckets.
CREATE TABLE analytics_hourly (
  hour      timestamptz NOT NULL,
  category  text NOT NULL,
  district  text NOT NULL,
  channel   text NOT NULL,
  language  text NOT NULL,
  kind      text NOT NULL,
  sentiment text NOT NULL,
  messages  integer NOT NULL,
  PRIMARY KEY (hour, category, district, channel, language, kind, sentiment)
);

-- Daily cells (local dates): day and week buckets and any period of whole days read ~24× fewer rows.
CREATE TABLE analytics_daily (
  day       date NOT NULL,
  category  text NOT NULL,
  district  text NOT NULL,
  channel   text NOT NULL,
  language  text NOT NULL,
  kind      text NOT NULL,
  sentiment text NOT NULL,
  messages  integer NOT NULL,
  PRIMARY KEY (day, category, district, channel, language, kind, sentiment)
);

-- The narrow daily table: only the dimensions the map and the trends use (category, district, sentiment). A year
-- of it is a few hundred thousand rows at most, so those views stay fast however many messages the city hears;
-- a query filtering on channel, language or kind reads analytics_daily instead.
CREATE TABLE analytics_daily_cds (
  day       date NOT NULL,
  category  text NOT NULL,
  district  text NOT NULL,
  sentiment text NOT NULL,
  messages  integer NOT NULL,
  PRIMARY KEY (day, category, district, sentiment)
);

-- Distinct residents, exactly: who wrote in a daily cell and how many of their messages it holds. The count lets a
-- correction move one message out without losing a resident who wrote twice; the row goes when it reaches 0.
-- COUNT(DISTINCT resident_id) over these rows gives the residents of any whole-day cell: small-cell suppression.
CREATE TABLE analytics_residents (
  day         date NOT NULL,
  category    text NOT NULL,
  district    text NOT NULL,
  channel     text NOT NULL,
  language    text NOT NULL,
  kind        text NOT NULL,
  sentiment   text NOT NULL,
  resident_id bigint NOT NULL,
  messages    integer NOT NULL,
  PRIMARY KEY (day, category, district, channel, language, kind, sentiment, resident_id)
);
