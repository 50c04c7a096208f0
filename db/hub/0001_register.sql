-- The office hub's register: current records, their history, applied change ids, conflicts
-- and the audit entries sent by each laptop. Users never touch these tables: their roles may
-- only execute the functions in 0002, which run as the owner (adviser_hub_owner).
-- Values are JSON: each record's fields are one jsonb object {column: value}.

CREATE SCHEMA hub AUTHORIZATION adviser_hub_owner;

CREATE TABLE hub.setting (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row: every push and every resolution locks it first, so sequence numbers commit in
-- order (a pull never skips a row committed late) and batches cannot deadlock.
CREATE TABLE hub.push_lock (id int PRIMARY KEY CHECK (id = 1));
INSERT INTO hub.push_lock VALUES (1);

CREATE SEQUENCE hub.record_seq;

CREATE TABLE hub.record (
    tbl        text NOT NULL,
    row_key    text NOT NULL,
    fields     jsonb NOT NULL,
    deleted    boolean NOT NULL DEFAULT false,
    version    int NOT NULL,
    seq        bigint NOT NULL,
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tbl, row_key)
);
CREATE UNIQUE INDEX record_by_seq ON hub.record (seq);

-- Every accepted field change, in order: what it replaced and the value the editor's screen
-- showed (base). Appended by the functions only; nothing updates or deletes it.
CREATE TABLE hub.field_history (
    id         bigserial PRIMARY KEY,
    tbl        text NOT NULL,
    row_key    text NOT NULL,
    field      text NOT NULL,       -- '*' for the whole record (a delete or a restore)
    old_value  jsonb,               -- SQL NULL: the record did not exist
    new_value  jsonb,               -- SQL NULL: deleted
    base       jsonb,
    change_id  text,                -- NULL for a resolution
    conflict   bigint,              -- the conflict a resolution settled
    by_role    text NOT NULL,
    device     text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX field_history_record ON hub.field_history (tbl, row_key, field);

-- Each change id the hub has answered, with its answer: a retried push gets the same answer.
CREATE TABLE hub.applied_change (
    change_id  text PRIMARY KEY,
    outcome    jsonb NOT NULL,
    device     text NOT NULL,
    by_role    text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hub.conflict (
    id              bigserial PRIMARY KEY,
    tbl             text NOT NULL,
    row_key         text NOT NULL,
    field           text NOT NULL,   -- '*' when an edit met a delete of the whole record
    base            jsonb,           -- what the incoming editor's screen showed
    hub_value       jsonb,           -- the value kept on the hub when it was raised
    hub_deleted     boolean NOT NULL DEFAULT false,
    incoming        jsonb,           -- the value held aside (NULL for an incoming delete)
    incoming_delete boolean NOT NULL DEFAULT false,
    change_id       text NOT NULL,
    raised_by       text NOT NULL,   -- role of the incoming editor
    device          text NOT NULL,
    kept_by         text NOT NULL,   -- role whose change made the hub value
    raised_at       timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    choice          text CHECK (choice IN ('keep', 'take')),
    resolved_by     text,
    resolved_at     timestamptz,
    note            text NOT NULL DEFAULT ''
);
CREATE INDEX conflict_record ON hub.conflict (tbl, row_key) WHERE status = 'open';

CREATE TABLE hub.audit_entry (
    device      text NOT NULL,
    local_seq   bigint NOT NULL,
    by_role     text NOT NULL,
    at          text NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    record_type text NOT NULL,
    record_id   text NOT NULL,
    detail      text NOT NULL,
    mac         text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device, local_seq)
);

CREATE TABLE hub.device (
    device     text PRIMARY KEY,
    by_role    text NOT NULL,
    last_push  timestamptz,
    last_pull  timestamptz,
    format     int
);

REVOKE ALL ON SCHEMA hub FROM PUBLIC;
GRANT USAGE ON SCHEMA hub TO adviser_hub_user;
