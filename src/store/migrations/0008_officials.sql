-- Officials: a user who is one of the watched accounts (the akim, a deputy, a district akim) sees the tickets that
-- residents opened by tagging them, and keeps the handles of their own accounts up to date.
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('admin', 'supervisor', 'operator', 'executor', 'official'));
ALTER TABLE memberships ADD COLUMN watch_account_id text REFERENCES watch_accounts(id);
ALTER TABLE memberships ADD CONSTRAINT memberships_official_account CHECK ((role = 'official') = (watch_account_id IS NOT NULL));
