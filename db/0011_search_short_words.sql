-- Search as you type on a big case book: words of one or two letters, looked up rather than
-- scanned for. case_search_header indexes each case's own words (its names, reference and
-- contact details: the search_doc row with source 'case', under that row's rowid), with
-- indexes of every word's first letter and first two letters, so counting the cases whose
-- details have a word starting with "o" reads one list rather than every case. Contentless:
-- the words stay in search_doc; a removed row goes at once (contentless_delete), and the
-- erasure of a family's data runs 'optimize' on it as on case_search.
CREATE VIRTUAL TABLE case_search_header USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2'
);
INSERT INTO case_search_header (rowid, words)
    SELECT rowid, words FROM search_doc WHERE source = 'case';
CREATE TRIGGER search_doc_header_insert AFTER INSERT ON search_doc
WHEN new.source = 'case' BEGIN
    INSERT INTO case_search_header (rowid, words) VALUES (new.rowid, new.words);
END;
CREATE TRIGGER search_doc_header_delete AFTER DELETE ON search_doc
WHEN old.source = 'case' BEGIN
    DELETE FROM case_search_header WHERE rowid = old.rowid;
END;
CREATE TRIGGER search_doc_header_update AFTER UPDATE ON search_doc
WHEN new.source = 'case' BEGIN
    DELETE FROM case_search_header WHERE rowid = old.rowid;
    INSERT INTO case_search_header (rowid, words) VALUES (new.rowid, new.words);
END;
-- The case list in order of newest activity, over open and closed cases alike: the first
-- 200 cases matching a short word are found by walking this until there are 200.
CREATE INDEX case_file_activity ON case_file(updated_at DESC, id);
