-- SEN support's graduated approach, per child: assess-plan-do-review cycles with their
-- evidence, outcomes and support; meetings with parents; an adviser's own marks on the Code's
-- expectations (CoP 6.44-6.65); and the pupil passport with targets tracked across reviews.
-- Dates are ISO text (YYYY-MM-DD), validated in Python before they get here.

CREATE TABLE ga_cycle (
    id                  TEXT PRIMARY KEY,
    child_id            TEXT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    assessed_on         TEXT,
    assessed_by         TEXT NOT NULL DEFAULT '',
    senco_involved      INTEGER NOT NULL DEFAULT 0 CHECK (senco_involved IN (0, 1)),
    planned_on          TEXT,
    parents_told_on     TEXT,
    agreed_with_parents INTEGER NOT NULL DEFAULT 0 CHECK (agreed_with_parents IN (0, 1)),
    review_due          TEXT,
    on_passport         INTEGER NOT NULL DEFAULT 0 CHECK (on_passport IN (0, 1)),
    on_provision_map    INTEGER NOT NULL DEFAULT 0 CHECK (on_provision_map IN (0, 1)),
    senco_support       TEXT NOT NULL DEFAULT '',
    reviewed_on         TEXT,
    parent_views        TEXT NOT NULL DEFAULT '',
    pupil_views         TEXT NOT NULL DEFAULT '',
    next_step           TEXT CHECK (next_step IN ('continue', 'adjust', 'specialist',
                            'ehc_request')),
    review_notes        TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL,
    CHECK (assessed_on IS NOT NULL OR planned_on IS NOT NULL),
    CHECK (reviewed_on IS NULL OR planned_on IS NOT NULL)
) STRICT;
CREATE INDEX ga_cycle_child ON ga_cycle(child_id);

CREATE TABLE ga_cycle_area (
    cycle_id TEXT NOT NULL REFERENCES ga_cycle(id) ON DELETE CASCADE,
    area     TEXT NOT NULL CHECK (area IN ('communication_interaction', 'cognition_learning',
                 'social_emotional_mental_health', 'sensory_physical')),
    PRIMARY KEY (cycle_id, area)
) STRICT;

-- The rows below belong to their cycle and are rewritten with it; position keeps the order.
CREATE TABLE ga_evidence (
    id          TEXT PRIMARY KEY,
    cycle_id    TEXT NOT NULL REFERENCES ga_cycle(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('teacher_assessment', 'data', 'parent_views',
                    'pupil_views', 'specialist_report', 'other')),
    description TEXT NOT NULL,
    author      TEXT NOT NULL,
    given_on    TEXT,
    UNIQUE (cycle_id, position)
) STRICT;

CREATE TABLE ga_outcome (
    id            TEXT PRIMARY KEY,
    cycle_id      TEXT NOT NULL REFERENCES ga_cycle(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    description   TEXT NOT NULL,
    progress      TEXT CHECK (progress IN ('good', 'some', 'little')),
    progress_note TEXT NOT NULL DEFAULT '',
    UNIQUE (cycle_id, position)
) STRICT;

-- stage 'plan': the support agreed and who gives it; stage 'do': the provision delivered.
CREATE TABLE ga_support (
    id        TEXT PRIMARY KEY,
    cycle_id  TEXT NOT NULL REFERENCES ga_cycle(id) ON DELETE CASCADE,
    stage     TEXT NOT NULL CHECK (stage IN ('plan', 'do')),
    position  INTEGER NOT NULL,
    what      TEXT NOT NULL,
    who       TEXT NOT NULL DEFAULT '',
    how_often TEXT NOT NULL DEFAULT '',
    starts_on TEXT,
    UNIQUE (cycle_id, stage, position)
) STRICT;

CREATE TABLE ga_parent_meeting (
    id            TEXT PRIMARY KEY,
    child_id      TEXT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    met_on        TEXT NOT NULL,
    led_by        TEXT NOT NULL DEFAULT '',
    senco_present INTEGER NOT NULL DEFAULT 0 CHECK (senco_present IN (0, 1)),
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
) STRICT;
CREATE INDEX ga_parent_meeting_child ON ga_parent_meeting(child_id, met_on);

-- An adviser's own status for one of the Code's expectations. The expectations themselves
-- are a list in domain/graduated_expectations.py; the key is checked there, so that adding
-- an expectation does not need a table rebuild.
CREATE TABLE ga_check (
    id         TEXT PRIMARY KEY,
    child_id   TEXT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    item_key   TEXT NOT NULL CHECK (length(item_key) BETWEEN 1 AND 40),
    status     TEXT NOT NULL CHECK (status IN ('met', 'not_met', 'not_known')),
    evidence   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (child_id, item_key)
) STRICT;

CREATE TABLE ga_passport (
    id                  TEXT PRIMARY KEY,
    child_id            TEXT NOT NULL UNIQUE REFERENCES child(id) ON DELETE CASCADE,
    made_on             TEXT,
    review_on           TEXT,
    strengths           TEXT NOT NULL DEFAULT '',
    needs_communication TEXT NOT NULL DEFAULT '',
    needs_cognition     TEXT NOT NULL DEFAULT '',
    needs_semh          TEXT NOT NULL DEFAULT '',
    needs_sensory       TEXT NOT NULL DEFAULT '',
    what_helps          TEXT NOT NULL DEFAULT '',
    what_doesnt         TEXT NOT NULL DEFAULT '',
    communication       TEXT NOT NULL DEFAULT '',
    sensory_medical     TEXT NOT NULL DEFAULT '',
    triggers            TEXT NOT NULL DEFAULT '',
    key_adults          TEXT NOT NULL DEFAULT '',
    own_words           TEXT NOT NULL DEFAULT '',
    parent_input        TEXT NOT NULL DEFAULT '',
    consent_to_share    INTEGER NOT NULL DEFAULT 0 CHECK (consent_to_share IN (0, 1)),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL
) STRICT;

CREATE TABLE ga_target (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    description TEXT NOT NULL CHECK (length(description) > 0),
    set_on      TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) STRICT;
CREATE INDEX ga_target_child ON ga_target(child_id, position);

-- A target's status at one review; kept as history, newest last.
CREATE TABLE ga_target_check (
    id         TEXT PRIMARY KEY,
    target_id  TEXT NOT NULL REFERENCES ga_target(id) ON DELETE CASCADE,
    checked_on TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('working_towards', 'partly_met', 'met',
                   'not_met', 'dropped')),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX ga_target_check_target ON ga_target_check(target_id, checked_on);
