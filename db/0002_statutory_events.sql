-- Statutory events on a child (letters, meetings, plans) from which deadlines are derived,
-- people's marks on those deadlines (met, or not applicable and why), and extra bank
-- holidays a service adds before the holidays package knows them.

CREATE TABLE statutory_event (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    child_id   TEXT NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('ehc_request_received', 'advice_requested',
                   'assessment_decision', 'decision_not_to_issue', 'draft_plan_served',
                   'final_plan_issued', 'annual_review_meeting', 'review_decision',
                   'amendment_notice_sent', 'final_amended_plan_issued', 'phase_transfer',
                   'reassessment_requested', 'reassessment_decision', 'tribunal_order',
                   'unopposed_appeal')),
    event_date TEXT NOT NULL,
    params     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    document   TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX statutory_event_case ON statutory_event(case_id);
CREATE INDEX statutory_event_child ON statutory_event(child_id);

CREATE TABLE deadline_mark (
    event_id     TEXT NOT NULL REFERENCES statutory_event(id) ON DELETE CASCADE,
    deadline_key TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('met', 'not_applicable')),
    state_on     TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (event_id, deadline_key),
    CHECK (state != 'met' OR state_on IS NOT NULL),
    CHECK (state != 'not_applicable' OR length(reason) > 0)
) STRICT;

CREATE TABLE extra_bank_holiday (
    day  TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;
