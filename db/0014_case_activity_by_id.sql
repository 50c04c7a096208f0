-- Search as you type on a book of 50,000 families: a typed reference such as "sa-2021-4"
-- matches about 2,000 cases, which are put in order of newest activity before the first page
-- is shown. Each was read by its id through the primary key's index and then from its row
-- (with its summary and notes); this index holds each case's id beside its activity, so
-- SQLite puts them in order from the index alone, reading far fewer pages.
CREATE INDEX case_file_id_activity ON case_file(id, updated_at);
