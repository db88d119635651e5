-- The situation centre's figures read tickets by when they were received, accepted and resolved in a period
-- (analytics/situation.ts). Each time column gets its own index, so "today" reads today's rows and not the years
-- before it; PostgreSQL combines them (BitmapOr) for the one query that needs all three.
CREATE INDEX tickets_created_idx ON tickets (created_at);
CREATE INDEX tickets_accepted_idx ON tickets (accepted_at) WHERE accepted_at IS NOT NULL;
-- 0013's resolved_at index covers status 'resolved' only; a period's resolutions include tickets closed since.
CREATE INDEX tickets_resolved_any_idx ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
