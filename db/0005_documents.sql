-- Letters and summaries produced from a case: the PDF exactly as produced, kept inside the
-- encrypted case book, with the template and version that made it and the wording used.
CREATE TABLE document (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    title            TEXT NOT NULL,
    wording          TEXT NOT NULL,
    pdf              BLOB NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL
) STRICT;
CREATE INDEX document_case ON document(case_id, created_at);
