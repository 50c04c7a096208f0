-- Search as you type on a book of 50,000 families: the families named as typed come first,
-- and finding them must not mean reading every matched case. search_doc.name_words holds the
-- folded words of the family's name on each case's own row (source 'case'; '' on every other
-- row), and case_search_name indexes them, under that row's rowid, so "the cases whose family
-- name has a word starting with 'dord'" is one index look-up. Contentless, like
-- case_search_header: the words stay in search_doc; a removed row goes at once
-- (contentless_delete), and the erasure of a family's data runs 'optimize' on it too.
--
-- The words are folded as every search word is (store/search.py, index_tokens: case, accents,
-- other spellings such as Đ as dj). SQL cannot fold them, so the migration runner lends this
-- script the app's own folding as the function index_words(text) (store/migrate.py).
ALTER TABLE search_doc ADD COLUMN name_words TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE case_search_name USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2'
);
CREATE TRIGGER search_doc_name_insert AFTER INSERT ON search_doc
WHEN new.name_words != '' BEGIN
    INSERT INTO case_search_name (rowid, words) VALUES (new.rowid, new.name_words);
END;
CREATE TRIGGER search_doc_name_delete AFTER DELETE ON search_doc
WHEN old.name_words != '' BEGIN
    DELETE FROM case_search_name WHERE rowid = old.rowid;
END;
CREATE TRIGGER search_doc_name_update AFTER UPDATE OF name_words ON search_doc
WHEN new.name_words != old.name_words BEGIN
    DELETE FROM case_search_name WHERE rowid = old.rowid;
    INSERT INTO case_search_name (rowid, words)
        SELECT new.rowid, new.name_words WHERE new.name_words != '';
END;
-- The two word indexes follow changes to a row's words only, so that filling in the names
-- below (and a later change of a family's name alone) does not index every case's words again.
DROP TRIGGER search_doc_update;
CREATE TRIGGER search_doc_update AFTER UPDATE OF words ON search_doc BEGIN
    INSERT INTO case_search (case_search, rowid, words) VALUES ('delete', old.rowid, old.words);
    INSERT INTO case_search (rowid, words) VALUES (new.rowid, new.words);
END;
DROP TRIGGER search_doc_header_update;
CREATE TRIGGER search_doc_header_update AFTER UPDATE OF words ON search_doc
WHEN new.source = 'case' BEGIN
    DELETE FROM case_search_header WHERE rowid = old.rowid;
    INSERT INTO case_search_header (rowid, words) VALUES (new.rowid, new.words);
END;
-- Every case's family name, as index_case_header writes it from now on.
UPDATE search_doc SET name_words = index_words(f.family_name)
    FROM case_file cf JOIN family f ON f.id = cf.family_id
    WHERE search_doc.source = 'case' AND cf.id = search_doc.case_id;
