-- Several PCs on one PostgreSQL server: one login per manager, so the audit trail names who changed what.
-- Run once as the database owner (the role that ran `camp-manager init`), in the camp database:
--   psql -h SERVER -U camp_owner -d camp -v manager=kim -v password="'...'" -f manager_roles.sql
-- (:manager and :password are psql variables; run it again with another name for each manager.)

DO $$ BEGIN
    CREATE ROLE camp_managers NOLOGIN;  -- what every manager may do, granted once
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

GRANT USAGE ON SCHEMA public TO camp_managers;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO camp_managers;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO camp_managers;
-- The audit trail is append-only: managers add entries, nobody changes or removes them
-- (a trigger refuses it too, for the owner as well).
REVOKE UPDATE, DELETE, TRUNCATE ON auditentry FROM camp_managers;
-- Tables a later upgrade adds get the same rights.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO camp_managers;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO camp_managers;

CREATE ROLE :"manager" LOGIN PASSWORD :password IN ROLE camp_managers;
