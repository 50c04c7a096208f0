-- A new laptop's first load of the register, parents first. The ordinary pull sends records
-- in the order they last changed (seq), so a record changed after its children reaches a new
-- laptop after them, and most rows had to be parked on the laptop until their parent came
-- (11,728 parks for 13,297 records at 200 families; each written twice, read back, deleted).
--
-- hub.first_load sends the records that were live when the load began (and the deleted ones
-- that still carry an open conflict, so every open conflict reaches the new laptop), table
-- by table in the order the laptop names (its parents-first order), each table in key order,
-- in pages: the cursor is (table, last key), so an interrupted load resumes where it stopped.
-- The first call notes the snapshot: the newest sequence number committed then (pushes and
-- resolutions take the push lock and number their records in commit order, so nothing
-- committed later gets a lower number). Only records numbered up to the snapshot are sent:
-- a record changed, deleted or erased while the load runs is numbered after it and comes
-- with the ordinary pull, which the laptop starts from the snapshot once the load is done.
-- A record deleted or erased before the snapshot is never sent (a new laptop holds nothing
-- to delete). Records of a table the laptop does not name are not sent (the ordinary pull
-- ignores tables a laptop does not have, likewise). Each open conflict goes as the array
-- made when it was raised (hub.conflict.wire, 0007_pull_until), as the ordinary pull sends it.

CREATE FUNCTION hub.first_load(p_device text, p_protocol int, p_tables text[],
                               p_snapshot bigint, p_table text, p_key text, p_limit int)
RETURNS json LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    snap bigint := p_snapshot;
    lim int := greatest(1, least(p_limit, 5000));
    left_over int;
    start_at int;
    i int;
    k text;
    part json;
    parts json[] := '{}';
    n int;
    last_key text;
    at_table text := p_table;
    at_key text := p_key;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    IF p_tables IS NULL OR cardinality(p_tables) = 0 THEN
        RAISE EXCEPTION 'a first load must name its tables' USING ERRCODE = 'AH002';
    END IF;
    IF snap IS NULL OR snap <= 0 THEN
        snap := (SELECT coalesce(max(seq), 0) FROM hub.record);
        at_table := NULL;
        at_key := NULL;
    END IF;
    start_at := array_position(p_tables, at_table);
    IF start_at IS NULL THEN  -- (no place yet, or a table the laptop no longer names)
        start_at := 1;
        at_table := NULL;
    END IF;
    left_over := lim;
    FOR i IN start_at .. cardinality(p_tables) LOOP
        k := CASE WHEN i = start_at AND at_table IS NOT NULL THEN coalesce(at_key, '') ELSE '' END;
        SELECT json_agg(json_build_object(
                   'table', r.tbl, 'key', r.row_key, 'seq', r.seq, 'version', r.version,
                   'deleted', r.deleted, 'erased', r.erased, 'fields', r.fields,
                   'changed_by', r.changed_by,
                   'conflicts', (SELECT coalesce(json_agg(x.wire ORDER BY x.id), '[]'::json)
                         FROM hub.conflict x WHERE x.tbl = r.tbl AND x.row_key = r.row_key
                           AND x.status = 'open')) ORDER BY r.row_key),
               count(*), max(r.row_key)
          INTO part, n, last_key
          FROM (SELECT * FROM hub.record r
                 WHERE r.tbl = p_tables[i] AND r.row_key > k AND r.seq <= snap
                   AND (NOT r.deleted OR EXISTS (
                        SELECT 1 FROM hub.conflict x WHERE x.tbl = r.tbl
                           AND x.row_key = r.row_key AND x.status = 'open'))
                 ORDER BY r.row_key LIMIT left_over) r;
        at_table := p_tables[i];
        at_key := CASE WHEN n > 0 THEN last_key ELSE k END;
        IF n > 0 THEN
            parts := array_append(parts, part);
            left_over := left_over - n;
        END IF;
        EXIT WHEN left_over <= 0;
    END LOOP;
    INSERT INTO hub.device (device, by_role, last_pull) VALUES (p_device, session_user, now())
    ON CONFLICT (device) DO UPDATE SET by_role = excluded.by_role,
        last_pull = excluded.last_pull;
    -- records: one array per table (the laptop joins them), so no page is parsed twice here
    RETURN json_build_object('records', array_to_json(parts), 'snapshot', snap,
                             'table', at_table, 'key', at_key, 'more', left_over <= 0);
END $$;

REVOKE ALL ON FUNCTION hub.first_load(text, int, text[], bigint, text, text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.first_load(text, int, text[], bigint, text, text, int)
    TO adviser_hub_user;

-- The register's size for a new laptop's bar: with cursor 0, what a first load sends (the
-- records live now, and the deleted ones carrying an open conflict), not every tombstone.
CREATE OR REPLACE FUNCTION hub.register_size(p_device text, p_protocol int, p_cursor bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    RETURN jsonb_build_object(
        'families', (SELECT count(*) FROM hub.record WHERE tbl = 'family' AND NOT deleted),
        'waiting', CASE WHEN p_cursor > 0
                        THEN (SELECT count(*) FROM hub.record WHERE seq > p_cursor)
                        ELSE (SELECT count(*) FROM hub.record r WHERE NOT r.deleted
                                  OR EXISTS (SELECT 1 FROM hub.conflict x
                                              WHERE x.tbl = r.tbl AND x.row_key = r.row_key
                                                AND x.status = 'open')) END);
END $$;
