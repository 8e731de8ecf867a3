-- reason: saved views: a staff user's named queue filters, kept on the server per user
CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  filter TEXT NOT NULL,        -- JSON object of the queue's query parameters (name -> value)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, name)       -- saving under a name the user already has replaces that view
);
