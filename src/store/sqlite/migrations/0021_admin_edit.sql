-- reason: administrators edit and retire departments and categories (never delete: complaints keep naming them), and every change to the organisation is recorded with who made it
ALTER TABLE departments ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE categories ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- The organisation's change log: one row per administrative change of a user,
-- department or category, append-only like the timeline (complaint events
-- cannot hold these: they belong to no complaint).
CREATE TABLE admin_changes (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id INTEGER,             -- NULL for the system (CLI seed, migrations)
  entity TEXT NOT NULL,         -- user, department, category
  entity_key TEXT NOT NULL,     -- the id, or the category code
  action TEXT NOT NULL,         -- created, updated, deactivated, reactivated
  before_json TEXT NOT NULL,    -- JSON object: the changed fields before
  after_json TEXT NOT NULL      -- JSON object: the same fields after
);
CREATE INDEX admin_changes_entity ON admin_changes (entity, entity_key, id);
CREATE TRIGGER admin_changes_no_update BEFORE UPDATE ON admin_changes
  BEGIN SELECT RAISE(ABORT, 'admin_changes is append-only'); END;
CREATE TRIGGER admin_changes_no_delete BEFORE DELETE ON admin_changes
  BEGIN SELECT RAISE(ABORT, 'admin_changes is append-only'); END;
