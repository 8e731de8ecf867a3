-- reason: customers attach evidence on the portal, and the portal shows and serves back only the files the customer added, never staff evidence
-- 1: added by the complainant through the portal; 0: by staff, e-mail intake or an import.
ALTER TABLE attachments ADD COLUMN by_customer INTEGER NOT NULL DEFAULT 0;
