-- Data protection duties: retention reviews, erasure tombstones, subject access requests.

-- A reviewer's decision to keep a closed case (with the reason and the next review date), or
-- the record that it was anonymised. Erasures leave a tombstone in erasure instead.
CREATE TABLE retention_review (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    decision    TEXT NOT NULL CHECK (decision IN ('keep', 'anonymise')),
    reason      TEXT NOT NULL CHECK (length(reason) > 0),
    next_review TEXT,
    decided_on  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    CHECK (decision != 'keep' OR next_review IS NOT NULL)
) STRICT;
CREATE INDEX retention_review_case ON retention_review(case_id, decided_on);

-- What remains of an erased (or anonymised) case: its reference, when, who and why. No names.
-- The same list is kept in a file beside the case book, so that a restore from an older backup
-- can apply every erasure again.
CREATE TABLE erasure (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('erased', 'anonymised')),
    case_id        TEXT NOT NULL,
    case_reference TEXT NOT NULL,
    reason         TEXT NOT NULL CHECK (length(reason) > 0),
    erased_at      TEXT NOT NULL,
    erased_by      TEXT NOT NULL
) STRICT;
CREATE INDEX erasure_case ON erasure(case_id);

CREATE TRIGGER erasure_no_update BEFORE UPDATE ON erasure
BEGIN
    SELECT RAISE(ABORT, 'an erasure record is never changed');
END;

-- Subject access requests: who asked, about whom, when it arrived and how identity was checked.
CREATE TABLE subject_access_request (
    id               TEXT PRIMARY KEY,
    family_id        TEXT REFERENCES family(id) ON DELETE SET NULL,
    requester        TEXT NOT NULL CHECK (length(requester) > 0),
    about            TEXT NOT NULL CHECK (length(about) > 0),
    received_on      TEXT NOT NULL,
    identity_check   TEXT NOT NULL DEFAULT '',
    extended_on      TEXT,
    extension_reason TEXT NOT NULL DEFAULT '',
    answered_on      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    CHECK (extended_on IS NULL OR length(extension_reason) > 0)
) STRICT;
CREATE INDEX subject_access_request_family ON subject_access_request(family_id);

-- Times the clock stopped while the service waited for clarification it needed.
CREATE TABLE subject_access_pause (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES subject_access_request(id) ON DELETE CASCADE,
    asked_on    TEXT NOT NULL,
    answered_on TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    CHECK (answered_on IS NULL OR answered_on >= asked_on)
) STRICT;
CREATE INDEX subject_access_pause_request ON subject_access_pause(request_id);
