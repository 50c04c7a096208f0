-- A push of 1,000 changes spent about half of its time (and a retried push nearly all of it)
-- building its answer: `answers || jsonb_build_array(answer)` copies the whole array at each
-- change, so the cost grew with the square of the batch, all of it under the push lock that
-- every other laptop's push waits for. The answers are now gathered in a jsonb[] (appended
-- in place) and made one JSON array at the end. The merge rule itself is unchanged.
-- hub.erasure had no index on the record, and each update or delete pushed looks it up.
-- A pull's page is built as json rather than jsonb: the same values, keys and order of
-- records, for the laptop the same JSON, but about half the hub's time for a page whose
-- families carry many open conflicts (jsonb builds and sorts every conflict's object, then
-- prints it all out again as text). Changing the result type needs the function made anew.

CREATE INDEX erasure_record ON hub.erasure (tbl, row_key);

CREATE OR REPLACE FUNCTION hub.sync_push(p_device text, p_protocol int, p_format int,
                                         p_changes jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    c jsonb;
    prev jsonb;
    answer jsonb;
    answers jsonb[] := '{}';
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    PERFORM 1 FROM hub.push_lock WHERE id = 1 FOR UPDATE;
    FOR c IN SELECT value FROM jsonb_array_elements(p_changes) LOOP
        SELECT outcome INTO prev FROM hub.applied_change WHERE change_id = c->>'id';
        IF FOUND THEN
            answers := array_append(answers, prev);
            CONTINUE;
        END IF;
        IF c->>'op' = 'erase' THEN
            answer := hub.apply_erasure(p_device, c);
        ELSIF c->>'op' IN ('update', 'delete') AND EXISTS (
                SELECT 1 FROM hub.erasure WHERE tbl = c->>'table' AND row_key = c->>'key')
              AND NOT hub.seen_as_now(c) THEN
            -- made on a screen that showed the row before it was erased or anonymised: the
            -- erasure wins, and nothing of it is kept (not even as a conflict's values)
            answer := jsonb_build_object('id', c->>'id', 'status', 'erased');
        ELSE
            answer := hub.apply_change(p_device, c);
        END IF;
        INSERT INTO hub.applied_change (change_id, outcome, device, by_role)
        VALUES (c->>'id', answer, p_device, session_user);
        answers := array_append(answers, answer);
    END LOOP;
    INSERT INTO hub.device (device, by_role, last_push, format)
    VALUES (p_device, session_user, now(), p_format)
    ON CONFLICT (device) DO UPDATE SET by_role = excluded.by_role,
        last_push = excluded.last_push, format = excluded.format;
    RETURN to_jsonb(answers);
END $$;

-- Records changed after the cursor, in hub order, each with its open conflicts.
DROP FUNCTION hub.sync_pull(text, int, bigint, int);
CREATE FUNCTION hub.sync_pull(p_device text, p_protocol int, p_cursor bigint, p_limit int)
RETURNS json LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    page json;
    last_seq bigint;
    n int;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    SELECT coalesce(json_agg(json_build_object(
               'table', r.tbl, 'key', r.row_key, 'seq', r.seq, 'version', r.version,
               'deleted', r.deleted, 'erased', r.erased, 'fields', r.fields,
               'changed_by', r.changed_by,
               'conflicts', (SELECT coalesce(json_agg(json_build_object(
                        'id', x.id, 'field', x.field, 'base', x.base,
                        'hub_value', x.hub_value, 'hub_deleted', x.hub_deleted,
                        'incoming', x.incoming, 'incoming_delete', x.incoming_delete,
                        'raised_by', x.raised_by, 'kept_by', x.kept_by,
                        'raised_at', x.raised_at) ORDER BY x.id), '[]'::json)
                     FROM hub.conflict x WHERE x.tbl = r.tbl AND x.row_key = r.row_key
                       AND x.status = 'open')) ORDER BY r.seq), '[]'::json),
           max(r.seq), count(*)
      INTO page, last_seq, n
      FROM (SELECT * FROM hub.record WHERE seq > p_cursor ORDER BY seq
            LIMIT greatest(1, least(p_limit, 5000))) r;
    INSERT INTO hub.device (device, by_role, last_pull) VALUES (p_device, session_user, now())
    ON CONFLICT (device) DO UPDATE SET by_role = excluded.by_role,
        last_pull = excluded.last_pull;
    RETURN json_build_object('records', page, 'cursor', coalesce(last_seq, p_cursor),
                             'more', n >= greatest(1, least(p_limit, 5000)));
END $$;

REVOKE ALL ON FUNCTION hub.sync_pull(text, int, bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.sync_pull(text, int, bigint, int) TO adviser_hub_user;

-- A restore from an older backup. Restoring the hub from an older backup brings back every
-- record erased since that backup was taken (the hub forgets those erasures), loses the
-- changes it accepted since (the laptops that made them hold them), and winds its sequence
-- back, so a laptop whose pull cursor is ahead would skip the records changed after the
-- restore. The laptops know better: at each sync a laptop reports (report_state) the
-- erasures it holds (ids, case references, kind and day: no names, no reasons) and the
-- last records it pulled with their hub sequence number and version. The hub answers which
-- of those erasures it does not hold, and whether it holds less than the laptop has already
-- seen (one of those records is missing, or at an older version or an earlier place than
-- the laptop saw it: in a hub never restored both only grow); it notes either on the hub.
-- adviser-hub check lists them. (The notes are themselves restored with a backup; the next
-- sync of each laptop makes them again.)
CREATE TABLE hub.erasure_report (
    erasure_id     text NOT NULL,
    device         text NOT NULL,
    case_reference text NOT NULL,
    kind           text NOT NULL,
    erased_at      text NOT NULL,
    reported_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (erasure_id, device)
);
ALTER TABLE hub.device ADD COLUMN found_behind timestamptz;

-- The erasures in *p_erasures* that the hub holds no record of.
CREATE FUNCTION hub.missing_erasures(p_erasures jsonb) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
    SELECT e ->> 'id' FROM jsonb_array_elements(p_erasures) e
     WHERE NOT EXISTS (SELECT 1 FROM hub.record r
                        WHERE r.tbl = 'erasure'
                          AND r.row_key = json_build_array(e ->> 'id')::text
                          AND NOT r.deleted)
$$;

-- p_seen: [[table, key, seq, version], ...], records as this laptop last pulled them;
-- p_cursor: its pull cursor; p_erasures: [{id, case_reference, kind, erased_at}, ...].
CREATE FUNCTION hub.report_state(p_device text, p_protocol int, p_cursor bigint,
                                 p_seen jsonb, p_erasures jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    behind boolean;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    IF jsonb_typeof(p_erasures) IS DISTINCT FROM 'array'
       OR jsonb_typeof(p_seen) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'a report the hub cannot read' USING ERRCODE = 'AH002';
    END IF;
    behind := EXISTS (
        SELECT 1 FROM jsonb_array_elements(p_seen) s
         WHERE NOT EXISTS (SELECT 1 FROM hub.record r
                            WHERE r.tbl = s ->> 0 AND r.row_key = s ->> 1
                              AND r.seq >= (s ->> 2)::bigint
                              AND r.version >= (s ->> 3)::int))
        OR p_cursor > (SELECT CASE WHEN is_called THEN last_value ELSE 0 END
                         FROM hub.record_seq);
    IF behind THEN
        INSERT INTO hub.device (device, by_role, found_behind)
        VALUES (p_device, session_user, now())
        ON CONFLICT (device) DO UPDATE SET found_behind = excluded.found_behind;
    END IF;
    INSERT INTO hub.erasure_report (erasure_id, device, case_reference, kind, erased_at)
    SELECT e ->> 'id', p_device, coalesce(e ->> 'case_reference', ''),
           coalesce(e ->> 'kind', ''), coalesce(e ->> 'erased_at', '')
      FROM jsonb_array_elements(p_erasures) e
     WHERE e ->> 'id' IS NOT NULL
    ON CONFLICT (erasure_id, device) DO NOTHING;
    RETURN jsonb_build_object(
        'missing', (SELECT coalesce(jsonb_agg(m), '[]'::jsonb)
                      FROM hub.missing_erasures(p_erasures) m),
        'behind', behind);
END $$;

REVOKE ALL ON FUNCTION hub.missing_erasures(jsonb),
    hub.report_state(text, int, bigint, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.report_state(text, int, bigint, jsonb, jsonb)
    TO adviser_hub_user;
