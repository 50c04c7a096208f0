-- A pull that stops where the hub stood when it began. (Numbered 0008 in the merged tree:
-- nothing refers to this file's number; the laptop finds it by its name, pull_until.)
-- With many laptops syncing at once, a laptop pulling in pages kept pulling the records the
-- others pushed while it pulled (each family again, with all its open conflicts), so the
-- more laptops synced together, the more each one pulled. The first page of a pull now
-- answers the hub's newest record sequence number ("until"), and the laptop asks for the
-- next pages up to it; what is pushed later comes at its next sync.
-- No gap: every writer of hub.record (sync_push, resolve_conflict, resolve_conflict_value)
-- takes the push lock first and holds it until it commits, so sequence numbers are given
-- and committed in order: when the newest committed record has seq N, no record with a
-- seq below N can commit later (a record changed later gets a new seq above N, and a pull
-- ending at N leaves its cursor at N, so it is pulled next time).
-- Each open conflict comes as an array, its values as JSON text (as the laptop keeps them;
-- SQL null for a JSON null, as before):
--   [id, field, base, hub_value, hub_deleted, incoming, incoming_delete, raised_by,
--    kept_by, raised_at]
-- A round of 25 laptops carries each family's open conflicts to each laptop (22,000 of them
-- in a page of 2,000 families when every edit clashes): the objects' names were most of the
-- page, and the laptop decoded every value only to encode it again. A conflict never
-- changes while it is open, and every laptop is sent it again each time its record changes:
-- its array is made once, when it is raised (hub.conflict.wire, by a trigger), not in every
-- pull (such a page took the hub 0.24 to 0.34 s to build, 0.15 s with the arrays made).
-- The 4-argument sync_pull is left as it was (laptops of the older app keep using it).

ALTER TABLE hub.conflict ADD COLUMN wire json;

CREATE FUNCTION hub.conflict_wire() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.wire := json_build_array(NEW.id, NEW.field, nullif(NEW.base::text, 'null'),
                                 nullif(NEW.hub_value::text, 'null'), NEW.hub_deleted,
                                 nullif(NEW.incoming::text, 'null'), NEW.incoming_delete,
                                 NEW.raised_by, NEW.kept_by, NEW.raised_at);
    RETURN NEW;
END $$;

CREATE TRIGGER conflict_wire BEFORE INSERT OR UPDATE OF id, field, base, hub_value,
    hub_deleted, incoming, incoming_delete, raised_by, kept_by, raised_at ON hub.conflict
    FOR EACH ROW EXECUTE FUNCTION hub.conflict_wire();
UPDATE hub.conflict SET raised_at = raised_at;  -- (the conflicts raised before)
ALTER TABLE hub.conflict ALTER COLUMN wire SET NOT NULL;

CREATE FUNCTION hub.sync_pull(p_device text, p_protocol int, p_cursor bigint, p_limit int,
                              p_until bigint)
RETURNS json LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    page json;
    last_seq bigint;
    n int;
    lim int := greatest(1, least(p_limit, 5000));
    until bigint := p_until;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    IF until IS NULL THEN  -- the first page: the newest record committed now
        SELECT coalesce(max(seq), 0) INTO until FROM hub.record;
    END IF;
    SELECT coalesce(json_agg(json_build_object(
               'table', r.tbl, 'key', r.row_key, 'seq', r.seq, 'version', r.version,
               'deleted', r.deleted, 'erased', r.erased, 'fields', r.fields,
               'changed_by', r.changed_by,
               'conflicts', (SELECT coalesce(json_agg(x.wire ORDER BY x.id), '[]'::json)
                     FROM hub.conflict x WHERE x.tbl = r.tbl AND x.row_key = r.row_key
                       AND x.status = 'open')) ORDER BY r.seq), '[]'::json),
           max(r.seq), count(*)
      INTO page, last_seq, n
      FROM (SELECT * FROM hub.record WHERE seq > p_cursor AND seq <= until ORDER BY seq
            LIMIT lim) r;
    INSERT INTO hub.device (device, by_role, last_pull) VALUES (p_device, session_user, now())
    ON CONFLICT (device) DO UPDATE SET by_role = excluded.by_role,
        last_pull = excluded.last_pull;
    RETURN json_build_object('records', page, 'cursor', coalesce(last_seq, p_cursor),
                             'more', n >= lim AND last_seq < until, 'until', until);
END $$;

REVOKE ALL ON FUNCTION hub.sync_pull(text, int, bigint, int, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.sync_pull(text, int, bigint, int, bigint) TO adviser_hub_user;
REVOKE ALL ON FUNCTION hub.conflict_wire() FROM PUBLIC;
