-- What the service's figures need on each case: the level of support (1-4, with the date of
-- each change), spells when an open case is inactive (waiting on the family), who the service
-- user is and how they heard of the service, the outcome on closing with the answers to the
-- service's evaluation questions (each answer keeps the question's wording), and the minutes
-- spent and way of contact on each timeline entry.
-- Existing records get NULL ("not recorded"), never a guess. The one exception is the way of
-- contact of an existing timeline entry: its kind already says it (a phone call was by phone),
-- except for notes, which stay NULL (not a contact).

ALTER TABLE case_file ADD COLUMN service_user TEXT
    CHECK (service_user IN ('parent_carer', 'young_person', 'child', 'professional'));
ALTER TABLE case_file ADD COLUMN heard_from TEXT
    CHECK (heard_from IN ('school', 'local_authority', 'health', 'social_care',
                          'voluntary_sector', 'local_offer', 'internet', 'family_friend',
                          'used_before', 'other'));
ALTER TABLE case_file ADD COLUMN outcome TEXT;

CREATE TABLE case_level_change (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    changed_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX case_level_change_case ON case_level_change(case_id, changed_on);

CREATE TABLE case_status_change (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('open', 'inactive')),
    changed_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX case_status_change_case ON case_status_change(case_id, changed_on);

CREATE TABLE case_evaluation_answer (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 0),
    question   TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
    answer     TEXT NOT NULL CHECK (answer IN ('yes', 'partly', 'no', 'not_answered')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (case_id, position)
) STRICT;

ALTER TABLE timeline_entry ADD COLUMN minutes INTEGER CHECK (minutes BETWEEN 0 AND 1440);
ALTER TABLE timeline_entry ADD COLUMN contact TEXT
    CHECK (contact IN ('phone', 'email', 'home_visit', 'meeting', 'online', 'letter'));
ALTER TABLE timeline_entry_version ADD COLUMN minutes INTEGER;
ALTER TABLE timeline_entry_version ADD COLUMN contact TEXT;

UPDATE timeline_entry SET contact = CASE kind
    WHEN 'phone_call' THEN 'phone'
    WHEN 'email' THEN 'email'
    WHEN 'home_visit' THEN 'home_visit'
    WHEN 'meeting' THEN 'meeting'
    WHEN 'letter' THEN 'letter'
END;
-- The report reads contacts by date without touching the notes' text: a covering index of the
-- contacts only (notes have no way of contact).
CREATE INDEX timeline_contact ON timeline_entry(entry_date, case_id, contact, minutes)
    WHERE contact IS NOT NULL;
