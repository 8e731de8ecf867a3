-- reason: the complaint lifecycle: organisation, complaints, case records, timeline, auth, rules, outbox
CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES departments(id),
  supervisor_id INTEGER
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  display_name TEXT NOT NULL,
  roles TEXT NOT NULL,               -- comma-separated role names
  department_id INTEGER REFERENCES departments(id),
  wide_scope INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT 'en',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE TABLE categories (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  parent_code TEXT REFERENCES categories(code)
);

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT 'en',
  reply_channel TEXT
);

CREATE TABLE complaints (
  id INTEGER PRIMARY KEY,
  tracking_code TEXT NOT NULL UNIQUE,
  access_token_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  held_from TEXT,
  version INTEGER NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  channel TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  occurred_at INTEGER,
  place TEXT NOT NULL DEFAULT '',
  object_type TEXT NOT NULL DEFAULT '',
  object_ref TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL,
  demands TEXT NOT NULL DEFAULT '',
  people_involved TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT 'en',
  kind TEXT NOT NULL,
  validity TEXT NOT NULL,
  validity_reason TEXT NOT NULL DEFAULT '',
  category TEXT REFERENCES categories(code),
  urgency TEXT,
  difficulty TEXT,
  impact_customer TEXT NOT NULL DEFAULT '',
  impact_reputation TEXT NOT NULL DEFAULT '',
  estimated_loss REAL,
  tags TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
  department_id INTEGER REFERENCES departments(id),
  assignee_id INTEGER REFERENCES users(id),
  escalation_level INTEGER NOT NULL DEFAULT 0,
  feasibility TEXT NOT NULL DEFAULT '',
  estimated_cost REAL,
  plan_round INTEGER NOT NULL DEFAULT 0,
  supervisor_approved INTEGER NOT NULL DEFAULT 0,
  director_approved INTEGER NOT NULL DEFAULT 0,
  plan_instructions TEXT NOT NULL DEFAULT '',
  customer_accepted INTEGER,
  customer_answer_reason TEXT NOT NULL DEFAULT '',
  satisfaction_score INTEGER,
  satisfaction_comment TEXT NOT NULL DEFAULT '',
  lessons TEXT NOT NULL DEFAULT '',
  follow_up_of INTEGER REFERENCES complaints(id),
  reopen_count INTEGER NOT NULL DEFAULT 0,
  appeal_count INTEGER NOT NULL DEFAULT 0,
  rejected_at INTEGER,
  resolved_at INTEGER,
  closed_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX complaints_state ON complaints(state, id);
CREATE INDEX complaints_department ON complaints(department_id, id);
CREATE INDEX complaints_assignee ON complaints(assignee_id, id);
CREATE INDEX complaints_received ON complaints(received_at, id);
CREATE INDEX complaints_customer ON complaints(customer_id);

CREATE TABLE complaint_links (
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  related_id INTEGER NOT NULL REFERENCES complaints(id),
  kind TEXT NOT NULL,
  PRIMARY KEY (complaint_id, related_id, kind)
);

CREATE TABLE causes (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  family TEXT NOT NULL,
  description TEXT NOT NULL,
  responsible TEXT NOT NULL DEFAULT '',
  five_whys TEXT NOT NULL DEFAULT '[]',
  evidence TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX causes_complaint ON causes(complaint_id);

CREATE TABLE remedies (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  plan_round INTEGER NOT NULL,
  type TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  amount REAL,
  currency TEXT NOT NULL DEFAULT ''
);
CREATE INDEX remedies_complaint ON remedies(complaint_id, plan_round);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id),
  due_at INTEGER,
  status TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE INDEX tasks_complaint ON tasks(complaint_id);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  direction TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  author_id INTEGER,
  at INTEGER NOT NULL
);
CREATE INDEX messages_complaint ON messages(complaint_id, id);

CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  storage_key TEXT NOT NULL,
  uploaded_by INTEGER,
  at INTEGER NOT NULL
);
CREATE INDEX attachments_complaint ON attachments(complaint_id);

CREATE TABLE accountability (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  finding TEXT NOT NULL,
  loss_amount REAL,
  proposed_sanction TEXT NOT NULL DEFAULT '',
  proposed_deduction_percent REAL,
  sanction_rule_id INTEGER,
  sanction TEXT NOT NULL DEFAULT '',
  deduction_percent REAL,
  confirmed_by INTEGER,
  confirmed_at INTEGER,
  recorded_by INTEGER,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX accountability_complaint ON accountability(complaint_id);

CREATE TABLE improvement_actions (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  title TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id),
  due_at INTEGER,
  resources TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL
);
CREATE INDEX improvement_actions_complaint ON improvement_actions(complaint_id);

CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  kind TEXT NOT NULL,
  score INTEGER,
  text TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX feedback_complaint ON feedback(complaint_id);

-- Append-only, hash-chained timeline. UPDATE and DELETE are refused by triggers.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  at INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id INTEGER,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX events_complaint ON events(complaint_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE routing_rules (
  id INTEGER PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT,
  category TEXT,
  channel TEXT,
  urgency TEXT,
  keywords TEXT NOT NULL DEFAULT '[]',
  department_id INTEGER NOT NULL REFERENCES departments(id),
  assignee_id INTEGER REFERENCES users(id),
  active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sanction_rules (
  id INTEGER PRIMARY KEY,
  min_loss REAL NOT NULL,
  max_loss REAL,
  sanction TEXT NOT NULL,
  wage_deduction_percent REAL
);

CREATE TABLE policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  category TEXT,
  urgency TEXT,
  supervisor_approval INTEGER NOT NULL,
  director_for_urgent INTEGER NOT NULL,
  director_compensation_threshold REAL,
  customer_agreement INTEGER NOT NULL,
  qa_verification INTEGER NOT NULL,
  reopen_window_days INTEGER NOT NULL,
  appeal_window_days INTEGER NOT NULL
);

-- A creating POST's first answer, replayed for retries with the same key.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);

-- Notifications written in the transaction that caused them; delivered by jobs/.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  complaint_id INTEGER REFERENCES complaints(id),
  recipient TEXT NOT NULL,
  language TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);
