-- In-app notifications: what a user is told inside mspdesk (the bell), until read.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);

-- Each user's choice per kind: in the app, by mail (no row: the kind's default).
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    in_app BOOLEAN NOT NULL,
    by_mail BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);
