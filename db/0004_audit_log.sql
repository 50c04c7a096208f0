-- The audit log: who viewed, created, changed, printed, exported or erased which record, and
-- when. Append-only: each row carries an HMAC over the previous row's MAC and its own fields,
-- keyed from the case book's data key, and triggers refuse updates and deletes.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('viewed', 'created', 'changed', 'printed',
                    'exported', 'erased', 'unlocked', 'locked', 'backed_up', 'restored')),
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    mac         TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is never deleted from');
END;
