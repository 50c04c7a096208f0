-- Faster search as you type on a big case book.
-- search_doc_header: the case's own words (names, references, contact details) side by side,
-- so a short word can be looked for in every case's details without reading their notes.
-- search_doc_row_case: which case each indexed record belongs to, without reading its words.
CREATE INDEX search_doc_header ON search_doc(case_id, words) WHERE source = 'case';
CREATE INDEX search_doc_row_case ON search_doc(rowid, case_id, source);
-- case_file_listing: the case list's order and filters without reading each case's details.
CREATE INDEX case_file_listing ON case_file(state, updated_at, id, adviser);
