-- Listening: a message is either written to the city (direct: web, 109, bot chat, e-mail) or said in public
-- (a post or comment that tags an official). Public messages become tickets only when actionable; the rest stay
-- for analytics. A mention of a watched official is attributed to them.
ALTER TABLE messages ADD COLUMN audience text NOT NULL DEFAULT 'direct' CHECK (audience IN ('direct', 'public'));
ALTER TABLE messages ADD COLUMN addressed_to text[] NOT NULL DEFAULT '{}';
-- Why a message did not become a ticket (e.g. "kind:thanks"); null while undecided or when it did.
ALTER TABLE messages ADD COLUMN no_ticket_reason text;
