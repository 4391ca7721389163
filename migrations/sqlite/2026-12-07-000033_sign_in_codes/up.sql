-- A tenant's sign-in code: the team a person names when signing in, so that a password
-- is only ever checked against one tenant's account (an e-mail may have accounts in
-- several tenants, and one tenant's admin sets the password of its own). Tenants made
-- before this get `team-<id>`; new ones a code made from their name.
ALTER TABLE companies ADD COLUMN sign_in_code TEXT NOT NULL DEFAULT '';
UPDATE companies SET sign_in_code = 'team-' || id;
CREATE UNIQUE INDEX companies_sign_in_code ON companies (sign_in_code);
