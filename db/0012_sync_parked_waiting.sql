-- Parked rows found by what they wait for (the pull's side of the team register).
-- A pulled row whose parent has not arrived yet waits in sync_parked, its reason naming the
-- parent ("waiting for case_file 1f3..."). When the parent arrives, only the rows waiting for
-- it are tried again: the index finds them without reading every parked row, and
-- sync_parked_ready lists the parents that have arrived whose waiting rows have not all been
-- tried yet (a window writes them a few at a time, between its other steps, and a stop part
-- way forgets none of them). Neither is synced.

CREATE INDEX sync_parked_reason ON sync_parked (reason);

CREATE TABLE sync_parked_ready (
    reason TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
