-- What the tenant's mail is signed with, and where replies go.
ALTER TABLE companies ADD COLUMN mail_sender_name TEXT;
ALTER TABLE companies ADD COLUMN mail_reply_to TEXT;

-- The outbox: each message as rendered when it was decided, delivered by its job
-- (its state — waiting, retrying, failed — is the job's).
CREATE TABLE mails (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment TEXT,
    job_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX mails_recent ON mails (tenant_id, id);
