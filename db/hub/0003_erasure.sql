-- Erasure on the hub (UK GDPR Article 17). When a case is erased or anonymised on a laptop,
-- the laptop sends an "erase" change for every row it removed or blanked:
--   {"id": "...", "table": "child", "key": "[\"<uuid>\"]", "op": "erase", "fields": {}}
-- The hub then keeps no value of that row: its history, its conflicts and its fields go, and
-- a bare tombstone (no fields, erased) stays so every other laptop removes the row at its
-- next pull, even over its own unsent edits. An anonymised row is then sent again as new.
-- An edit or delete made on a screen that still showed the row as it was before (it reaches
-- the hub after the erasure) is answered "erased" and not kept, not even as a conflict.
-- Old row versions stay in the table files until they are vacuumed: adviser-hub purge
-- rewrites the tables (VACUUM FULL) and records when (purged_at).

ALTER TABLE hub.record ADD COLUMN erased boolean NOT NULL DEFAULT false;

CREATE TABLE hub.erasure (
    id        bigserial PRIMARY KEY,
    tbl       text NOT NULL,
    row_key   text NOT NULL,
    change_id text NOT NULL,
    by_role   text NOT NULL,
    device    text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    purged_at timestamptz
);

CREATE FUNCTION hub.apply_erasure(p_device text, c jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t text := c->>'table';
    k text := c->>'key';
BEGIN
    IF t IS NULL OR k IS NULL OR c->>'id' IS NULL THEN
        RAISE EXCEPTION 'a change the hub cannot read: %', left(c::text, 200)
            USING ERRCODE = 'AH002';
    END IF;
    PERFORM 1 FROM hub.record WHERE tbl = t AND row_key = k FOR UPDATE;
    IF FOUND THEN
        UPDATE hub.record SET fields = '{}'::jsonb, deleted = true, erased = true,
               version = version + 1, seq = nextval('hub.record_seq'),
               changed_by = session_user, changed_at = now()
         WHERE tbl = t AND row_key = k;
    END IF;
    DELETE FROM hub.field_history WHERE tbl = t AND row_key = k;
    DELETE FROM hub.conflict WHERE tbl = t AND row_key = k;
    -- a decision's note on this row's conflicts is free text: it goes, the decision stays
    UPDATE hub.audit_entry SET detail = 'a conflict on an erased record was decided'
     WHERE device = 'hub:conflicts' AND record_type = t AND record_id = k;
    INSERT INTO hub.erasure (tbl, row_key, change_id, by_role, device)
    VALUES (t, k, c->>'id', session_user, p_device);
    RETURN jsonb_build_object('id', c->>'id', 'status', 'erased');
END $$;

-- Whether every field a change touches showed, on the editor's screen, what the hub holds
-- now (so the edit was made after an erasure or anonymising had reached that laptop).
CREATE FUNCTION hub.seen_as_now(c jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(bool_and(NOT r.deleted
                             AND (r.fields -> e.key) IS NOT DISTINCT FROM (e.value -> 'base')),
                    true)
      FROM hub.record r, jsonb_each(c->'fields') e
     WHERE r.tbl = c->>'table' AND r.row_key = c->>'key' AND NOT hub.is_meta(e.key)
$$;

-- A record made again after its erasure (an anonymised row sent again as new) is live.
CREATE OR REPLACE FUNCTION hub.next_record(p_tbl text, p_key text, p_fields jsonb,
                                           p_deleted boolean, p_new_version boolean,
                                           p_exists boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_exists THEN
        UPDATE hub.record SET fields = p_fields, deleted = p_deleted,
               erased = erased AND p_deleted,
               version = version + CASE WHEN p_new_version THEN 1 ELSE 0 END,
               seq = nextval('hub.record_seq'),
               changed_by = CASE WHEN p_new_version THEN session_user::text ELSE changed_by END,
               changed_at = CASE WHEN p_new_version THEN now() ELSE changed_at END
         WHERE tbl = p_tbl AND row_key = p_key;
    ELSE
        INSERT INTO hub.record (tbl, row_key, fields, deleted, version, seq, changed_by)
        VALUES (p_tbl, p_key, p_fields, p_deleted, 1, nextval('hub.record_seq'), session_user);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION hub.sync_push(p_device text, p_protocol int, p_format int,
                                         p_changes jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    c jsonb;
    prev jsonb;
    answer jsonb;
    answers jsonb := '[]'::jsonb;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    PERFORM 1 FROM hub.push_lock WHERE id = 1 FOR UPDATE;
    FOR c IN SELECT value FROM jsonb_array_elements(p_changes) LOOP
        SELECT outcome INTO prev FROM hub.applied_change WHERE change_id = c->>'id';
        IF FOUND THEN
            answers := answers || jsonb_build_array(prev);
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
        answers := answers || jsonb_build_array(answer);
    END LOOP;
    INSERT INTO hub.device (device, by_role, last_push, format)
    VALUES (p_device, session_user, now(), p_format)
    ON CONFLICT (device) DO UPDATE SET by_role = excluded.by_role,
        last_push = excluded.last_push, format = excluded.format;
    RETURN answers;
END $$;

CREATE OR REPLACE FUNCTION hub.sync_pull(p_device text, p_protocol int, p_cursor bigint,
                                         p_limit int)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    page jsonb;
    last_seq bigint;
    n int;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'table', r.tbl, 'key', r.row_key, 'seq', r.seq, 'version', r.version,
               'deleted', r.deleted, 'erased', r.erased, 'fields', r.fields,
               'changed_by', r.changed_by,
               'conflicts', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                        'id', x.id, 'field', x.field, 'base', x.base,
                        'hub_value', x.hub_value, 'hub_deleted', x.hub_deleted,
                        'incoming', x.incoming, 'incoming_delete', x.incoming_delete,
                        'raised_by', x.raised_by, 'kept_by', x.kept_by,
                        'raised_at', x.raised_at) ORDER BY x.id), '[]'::jsonb)
                     FROM hub.conflict x WHERE x.tbl = r.tbl AND x.row_key = r.row_key
                       AND x.status = 'open')) ORDER BY r.seq), '[]'::jsonb),
           max(r.seq), count(*)
      INTO page, last_seq, n
      FROM (SELECT * FROM hub.record WHERE seq > p_cursor ORDER BY seq
            LIMIT greatest(1, least(p_limit, 5000))) r;
    INSERT INTO hub.device (device, by_role, last_pull) VALUES (p_device, session_user, now())
    ON CONFLICT (device) DO UPDATE SET by_role = excluded.by_role,
        last_pull = excluded.last_pull;
    RETURN jsonb_build_object('records', page, 'cursor', coalesce(last_seq, p_cursor),
                              'more', n >= greatest(1, least(p_limit, 5000)));
END $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA hub FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.hub_info(), hub.sync_push(text, int, int, jsonb),
    hub.sync_pull(text, int, bigint, int), hub.sync_push_audit(text, int, jsonb),
    hub.resolve_conflict(text, int, bigint, text, text) TO adviser_hub_user;
