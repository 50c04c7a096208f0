-- Disagreement records kept by the mediation wizard: one row per disagreement on a case, with
-- the wizard's answers (as JSON, checked in Python) and the step it was left at.
CREATE TABLE disagreement (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    child_id   TEXT REFERENCES child(id) ON DELETE SET NULL,
    answers    TEXT NOT NULL CHECK (json_valid(answers)),
    step       INTEGER NOT NULL DEFAULT 0 CHECK (step BETWEEN 0 AND 4),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX disagreement_case ON disagreement(case_id);
