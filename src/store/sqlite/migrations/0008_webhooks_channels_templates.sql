-- reason: webhooks (signed events through the outbox), inbound chat channels with their own tokens, mail template overrides in the database, SPEC §4's default SLA policies
-- Subscribers of complaint events. The secret signs every delivery (HMAC-SHA256),
-- so it is kept as is (a hash could not sign); the API shows it once, at creation.
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  events TEXT NOT NULL,               -- comma-separated event types
  active INTEGER NOT NULL DEFAULT 1,
  description TEXT NOT NULL DEFAULT '',
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The outbox carries mail and webhook deliveries; each channel has its job kind.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail'; -- mail | webhook

-- Inbound channels (chat-app bridges): a bearer token each, stored as its SHA-256.
CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
-- A bridge's conversation, and the customer behind an external id, on one complaint.
CREATE TABLE channel_conversations (
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  conversation_id TEXT NOT NULL,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  PRIMARY KEY (channel_id, conversation_id)
);
CREATE TABLE channel_customers (
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  external_id TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  PRIMARY KEY (channel_id, external_id)
);

-- Administrators' versions of the shipped mail templates (src/mail/templates.cpp).
CREATE TABLE mail_templates (
  kind TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER,
  PRIMARY KEY (kind, language)
);

-- SPEC §4's defaults, so a fresh install runs clocks: 24 h to the first
-- response, 1 h for urgent complaints. Only where no policy exists yet.
INSERT INTO sla_policies (name, urgency, first_response_ms)
  SELECT 'default', NULL, 86400000 WHERE NOT EXISTS (SELECT 1 FROM sla_policies);
INSERT INTO sla_policies (name, urgency, first_response_ms)
  SELECT 'urgent', 'urgent', 3600000
  WHERE (SELECT COUNT(*) FROM sla_policies) = 1
    AND EXISTS (SELECT 1 FROM sla_policies WHERE name = 'default' AND first_response_ms = 86400000);
