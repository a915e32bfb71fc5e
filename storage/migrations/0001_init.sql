-- Mailhook history, version 1.
--
-- Conventions: times are INTEGER unix nanoseconds (UTC), NULL when unknown;
-- optional links are NULL rather than 0 so foreign keys hold; lists are JSON
-- text. AUTOINCREMENT keeps IDs from being reused after a clear-history, so
-- an ID the window or an event still holds never names a different row.

-- One SMTP connection.
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  INTEGER,
    ended_at    INTEGER,
    remote_addr TEXT    NOT NULL DEFAULT '',
    remote_ip   TEXT    NOT NULL DEFAULT '',
    helo_domain TEXT    NOT NULL DEFAULT '',
    tls         INTEGER NOT NULL DEFAULT 0,
    tls_cipher  TEXT    NOT NULL DEFAULT '',
    auth_user   TEXT    NOT NULL DEFAULT ''
);

-- One SMTP transaction, created at MAIL FROM. The raw bytes live in
-- message_raw so that lists never page them in.
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id        INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    created_at        INTEGER,
    received_at       INTEGER,
    mail_from         TEXT    NOT NULL DEFAULT '',
    size_param        INTEGER NOT NULL DEFAULT 0,
    recipients        TEXT    NOT NULL DEFAULT '[]',
    subject           TEXT    NOT NULL DEFAULT '',
    from_header       TEXT    NOT NULL DEFAULT '',
    message_id_header TEXT    NOT NULL DEFAULT '',
    size              INTEGER NOT NULL DEFAULT 0,
    md5               TEXT    NOT NULL DEFAULT '',
    outcome           TEXT    NOT NULL DEFAULT '',
    status            INTEGER NOT NULL DEFAULT 0,
    smtp_reply        TEXT    NOT NULL DEFAULT ''
);
-- Newest-first paging walks the rowid (the primary key) backwards: no index.
CREATE INDEX messages_message_id_header ON messages (message_id_header);
CREATE INDEX messages_session ON messages (session_id);
CREATE INDEX messages_created_at ON messages (created_at);
CREATE INDEX messages_outcome ON messages (outcome);

CREATE TABLE message_raw (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    raw        BLOB    NOT NULL
);

-- Each command of a session and the reply given to it.
CREATE TABLE smtp_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    message_id     INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    at             INTEGER,
    command        TEXT    NOT NULL,
    argument       TEXT    NOT NULL DEFAULT '',
    reply_code     INTEGER NOT NULL DEFAULT 0,
    reply_enhanced TEXT    NOT NULL DEFAULT '',
    reply_text     TEXT    NOT NULL DEFAULT '',
    duration_ms    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX smtp_events_session ON smtp_events (session_id, at);
CREATE INDEX smtp_events_message ON smtp_events (message_id, at);

-- Every HTTP request the engine made and what came back. The bodies are the
-- last columns: SQLite reads a row front to back, so summaries that stop
-- before them never touch their overflow pages.
CREATE TABLE exchanges (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id         INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    replay_of          INTEGER REFERENCES exchanges (id) ON DELETE SET NULL,
    parent_id          INTEGER REFERENCES exchanges (id) ON DELETE SET NULL,
    kind               TEXT    NOT NULL,
    recipient          TEXT    NOT NULL DEFAULT '',
    format             TEXT    NOT NULL DEFAULT '',
    started_at         INTEGER,
    duration_ms        INTEGER NOT NULL DEFAULT 0,
    method             TEXT    NOT NULL DEFAULT '',
    url                TEXT    NOT NULL DEFAULT '',
    status             INTEGER NOT NULL DEFAULT 0,
    error              TEXT    NOT NULL DEFAULT '',
    smtp_reply         TEXT    NOT NULL DEFAULT '',
    outcome            TEXT    NOT NULL DEFAULT '',
    response_truncated INTEGER NOT NULL DEFAULT 0,
    request_headers    TEXT    NOT NULL DEFAULT '[]',
    response_headers   TEXT    NOT NULL DEFAULT '[]',
    hops               TEXT    NOT NULL DEFAULT '[]',
    request_body       BLOB,
    response_body      BLOB
);
CREATE INDEX exchanges_message ON exchanges (message_id, started_at);
CREATE INDEX exchanges_started_at ON exchanges (started_at);
CREATE INDEX exchanges_replay_of ON exchanges (replay_of);
CREATE INDEX exchanges_parent ON exchanges (parent_id);
