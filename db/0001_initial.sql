-- The case book: families, their people and children, cases, timeline and tasks.
-- Dates are ISO text (YYYY-MM-DD), validated in Python before they get here.
-- User records have UUID text keys plus created_at / updated_at / updated_by.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE family (
    id          TEXT PRIMARY KEY,
    family_name TEXT NOT NULL CHECK (length(family_name) BETWEEN 1 AND 200),
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) STRICT;

CREATE TABLE person (
    id                      TEXT PRIMARY KEY,
    family_id               TEXT NOT NULL REFERENCES family(id) ON DELETE CASCADE,
    given_name              TEXT NOT NULL,
    family_name             TEXT NOT NULL,
    relationship            TEXT NOT NULL CHECK (relationship IN ('mother', 'father',
                                'step_parent', 'grandparent', 'foster_carer', 'kinship_carer',
                                'social_worker', 'young_person', 'other')),
    parental_responsibility INTEGER NOT NULL DEFAULT 0 CHECK (parental_responsibility IN (0, 1)),
    address                 TEXT NOT NULL DEFAULT '',
    postcode                TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    preferred_contact       TEXT CHECK (preferred_contact IN ('phone', 'text', 'email', 'letter')),
    access_needs            TEXT NOT NULL DEFAULT '',
    interpreter_language    TEXT NOT NULL DEFAULT '',
    consent_to_share        INTEGER NOT NULL DEFAULT 0 CHECK (consent_to_share IN (0, 1)),
    consent_date            TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    updated_by              TEXT NOT NULL
) STRICT;
CREATE INDEX person_family ON person(family_id);

CREATE TABLE child (
    id                     TEXT PRIMARY KEY,
    family_id              TEXT NOT NULL REFERENCES family(id) ON DELETE CASCADE,
    given_name             TEXT NOT NULL,
    family_name            TEXT NOT NULL,
    date_of_birth          TEXT NOT NULL,
    school                 TEXT NOT NULL DEFAULT '',
    year_group             TEXT NOT NULL DEFAULT '',
    local_authority        TEXT NOT NULL DEFAULT '',
    status                 TEXT NOT NULL CHECK (status IN ('no_sen_support', 'sen_support',
                               'assessment_requested', 'ehc_plan')),
    ehc_plan_issued        TEXT,
    ehc_plan_last_reviewed TEXT,
    notes                  TEXT NOT NULL DEFAULT '',
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL
) STRICT;
CREATE INDEX child_family ON child(family_id);

CREATE TABLE child_need (
    child_id TEXT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    area     TEXT NOT NULL CHECK (area IN ('communication_interaction', 'cognition_learning',
                 'social_emotional_mental_health', 'sensory_physical')),
    PRIMARY KEY (child_id, area)
) STRICT;

CREATE TABLE case_file (
    id           TEXT PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    family_id    TEXT NOT NULL REFERENCES family(id) ON DELETE RESTRICT,
    adviser      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    opened_on    TEXT NOT NULL,
    closed_on    TEXT,
    closing_note TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    CHECK ((state = 'closed') = (closed_on IS NOT NULL))
) STRICT;
CREATE INDEX case_family ON case_file(family_id);

CREATE TABLE case_issue (
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    issue   TEXT NOT NULL CHECK (issue IN ('ehc_assessment', 'ehc_plan_content',
                'annual_review', 'sen_support', 'phase_transfer', 'mediation',
                'tribunal_appeal', 'exclusion', 'transport', 'attendance',
                'disability_discrimination', 'other')),
    PRIMARY KEY (case_id, issue)
) STRICT;

CREATE TABLE case_child (
    case_id  TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    child_id TEXT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, child_id)
) STRICT;
CREATE INDEX case_child_child ON case_child(child_id);

CREATE TABLE timeline_entry (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('home_visit', 'phone_call', 'email', 'meeting',
                   'letter', 'note')),
    entry_date TEXT NOT NULL,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX timeline_case ON timeline_entry(case_id, entry_date);

-- Every saved wording of every entry, including the current one. Never updated or deleted
-- while its entry exists.
CREATE TABLE timeline_entry_version (
    entry_id   TEXT NOT NULL REFERENCES timeline_entry(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    entry_date TEXT NOT NULL,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    saved_by   TEXT NOT NULL,
    PRIMARY KEY (entry_id, version)
) STRICT;

CREATE TRIGGER timeline_version_no_update BEFORE UPDATE ON timeline_entry_version
BEGIN
    SELECT RAISE(ABORT, 'timeline history is never rewritten');
END;

CREATE TABLE task (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    due_on     TEXT,
    done_on    TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX task_case ON task(case_id);

-- Search. search_doc holds the folded words of each searchable record (the case itself with
-- its family, people and children, and each timeline entry and task), one row per record, so a
-- new note updates one row. case_search is the FTS5 index over it, kept in step by triggers.
-- Folding (case, accents, letters such as Ł and Đ) is done in Python before it gets here.
CREATE TABLE search_doc (
    rowid   INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    source  TEXT NOT NULL,
    words   TEXT NOT NULL,
    UNIQUE (case_id, source)
) STRICT;

CREATE VIRTUAL TABLE case_search USING fts5(
    words,
    content = 'search_doc',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER search_doc_insert AFTER INSERT ON search_doc BEGIN
    INSERT INTO case_search (rowid, words) VALUES (new.rowid, new.words);
END;
CREATE TRIGGER search_doc_delete AFTER DELETE ON search_doc BEGIN
    INSERT INTO case_search (case_search, rowid, words) VALUES ('delete', old.rowid, old.words);
END;
CREATE TRIGGER search_doc_update AFTER UPDATE ON search_doc BEGIN
    INSERT INTO case_search (case_search, rowid, words) VALUES ('delete', old.rowid, old.words);
    INSERT INTO case_search (rowid, words) VALUES (new.rowid, new.words);
END;
