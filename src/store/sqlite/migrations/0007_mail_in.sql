-- reason: e-mail in: one row per IMAP message handled (mailbox, UIDVALIDITY, UID), written in the transaction that files it, so a restart never files a mail twice; indexes for threading by Message-ID and finding a customer by e-mail address
CREATE TABLE inbound_mail (
  id INTEGER PRIMARY KEY,
  mailbox TEXT NOT NULL,          -- imap://host:port/MAILBOX, without credentials
  uidvalidity INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  message_id TEXT NOT NULL DEFAULT '',   -- <...> as in the header, '' when absent
  from_address TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,          -- opened | threaded | ignored | duplicate | failed
  reason TEXT NOT NULL DEFAULT '',
  complaint_id INTEGER REFERENCES complaints(id),
  received_at INTEGER NOT NULL,
  UNIQUE (mailbox, uidvalidity, uid)
);
CREATE INDEX inbound_mail_message_id ON inbound_mail(message_id);
CREATE INDEX inbound_mail_outcome ON inbound_mail(outcome, id);
CREATE INDEX outbox_message_id ON outbox(message_id);
CREATE INDEX customers_email ON customers(lower(email));
