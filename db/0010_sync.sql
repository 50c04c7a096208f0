-- The team register's bookkeeping on the laptop. None of it is itself synced.
-- Each edit of a synced table writes one row here, in the same transaction, from triggers
-- that the app generates from the live schema after every migration run, each time the case
-- book is opened (adviser_app/store/sync_tables.py; TEMP triggers on the one connection that
-- may write). fields is JSON: {column: {"base": old, "new": new}}.

-- The synced tables whose rows are already logged: a table named here for the first time has
-- its existing rows logged as made, once.
CREATE TABLE sync_covered (
    tbl TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_change (
    seq       INTEGER PRIMARY KEY,
    change_id TEXT NOT NULL UNIQUE,
    tbl       TEXT NOT NULL,
    row_key   TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    fields    TEXT NOT NULL,
    made_at   TEXT NOT NULL
) STRICT;
CREATE INDEX sync_change_row ON sync_change(tbl, row_key);

-- The hub version each synced row was last brought to by a pull.
CREATE TABLE sync_row (
    tbl         TEXT NOT NULL,
    row_key     TEXT NOT NULL,
    hub_version INTEGER NOT NULL,
    hub_seq     INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_key)
) STRICT, WITHOUT ROWID;

-- One row. applying = 1 while pulled rows are written (the triggers then log nothing).
CREATE TABLE sync_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    device      TEXT NOT NULL,
    applying    INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1)),
    pull_cursor INTEGER NOT NULL DEFAULT 0,
    audit_sent  INTEGER NOT NULL DEFAULT 0,
    hub         TEXT,
    last_sync   TEXT
) STRICT;
INSERT INTO sync_state (id, device) VALUES (1, lower(hex(randomblob(16))));

-- Open conflicts as the hub last reported them, for the "Needs a decision" list.
CREATE TABLE sync_conflict (
    id              INTEGER PRIMARY KEY,
    tbl             TEXT NOT NULL,
    row_key         TEXT NOT NULL,
    field           TEXT NOT NULL,
    base            TEXT,
    hub_value       TEXT,
    hub_deleted     INTEGER NOT NULL DEFAULT 0,
    incoming        TEXT,
    incoming_delete INTEGER NOT NULL DEFAULT 0,
    raised_by       TEXT NOT NULL,
    kept_by         TEXT NOT NULL,
    raised_at       TEXT NOT NULL
) STRICT;
CREATE INDEX sync_conflict_row ON sync_conflict(tbl, row_key);

-- Pulled rows that could not be written yet (their parent record has not arrived, or a
-- delete is held back by rows that still refer to it); tried again after every page.
CREATE TABLE sync_parked (
    tbl     TEXT NOT NULL,
    row_key TEXT NOT NULL,
    record  TEXT NOT NULL,
    reason  TEXT NOT NULL,
    PRIMARY KEY (tbl, row_key)
) STRICT, WITHOUT ROWID;
