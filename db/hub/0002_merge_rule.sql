-- The merge rule. A change carries, per field, the value the editor's screen showed (base)
-- and the value they saved (new). Per field: if the hub still holds the base, the new value
-- is applied; if it already holds the new value, nothing is done; otherwise the hub keeps its
-- value and records a conflict holding the incoming one, for a named person to decide.
-- A change (JSON, the same for any transport):
--   {"id": "...", "table": "family", "key": "[\"<uuid>\"]", "op": "insert|update|delete",
--    "fields": {"notes": {"base": "old", "new": "new"}, ...}}
-- "base" is absent for an insert (the row did not exist), "new" is absent for a delete.

-- Fields that say who saved last and when: taken from an accepted edit, never a conflict.
CREATE FUNCTION hub.is_meta(field text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT field IN ('created_at', 'updated_at', 'updated_by')
$$;

-- 'same', 'apply' or 'conflict'. hub_value and base are SQL NULL for "no such row".
CREATE FUNCTION hub.merge_decision(hub_value jsonb, base jsonb, new_value jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN hub_value IS NOT DISTINCT FROM new_value THEN 'same'
        WHEN hub_value IS NOT DISTINCT FROM base THEN 'apply'
        ELSE 'conflict'
    END
$$;

CREATE FUNCTION hub.hub_info() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    SELECT jsonb_build_object(
        'schema', (SELECT max(version) FROM public.hub_migration),
        'protocol', 1,
        'user', session_user::text)
$$;

CREATE FUNCTION hub.check_protocol(p_protocol int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_protocol IS DISTINCT FROM 1 THEN
        RAISE EXCEPTION 'this hub understands sync protocol 1, the laptop sent %', p_protocol
            USING ERRCODE = 'AH001';
    END IF;
END $$;

CREATE FUNCTION hub.next_record(p_tbl text, p_key text, p_fields jsonb, p_deleted boolean,
                                p_new_version boolean, p_exists boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_exists THEN
        UPDATE hub.record SET fields = p_fields, deleted = p_deleted,
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

-- One change, under the push lock. Returns its outcome.
CREATE FUNCTION hub.apply_change(p_device text, c jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    r hub.record%ROWTYPE;
    found_row boolean;
    live boolean;
    op text := c->>'op';
    t text := c->>'table';
    k text := c->>'key';
    f text;
    fc jsonb;
    hub_value jsonb;
    decision text;
    fields jsonb;
    applied int := 0;
    conflicts int := 0;
    same int := 0;
BEGIN
    IF op IS NULL OR op NOT IN ('insert', 'update', 'delete') OR t IS NULL OR k IS NULL
       OR c->>'id' IS NULL OR jsonb_typeof(c->'fields') IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'a change the hub cannot read: %', left(c::text, 200)
            USING ERRCODE = 'AH002';
    END IF;
    SELECT * INTO r FROM hub.record WHERE tbl = t AND row_key = k FOR UPDATE;
    found_row := FOUND;
    live := found_row AND NOT r.deleted;
    fields := CASE WHEN found_row THEN r.fields ELSE '{}'::jsonb END;

    IF op = 'delete' THEN
        IF NOT live THEN
            IF found_row THEN  -- sent again so the laptop holds the hub's own tombstone
                PERFORM hub.next_record(t, k, r.fields, r.deleted, false, true);
            END IF;
            RETURN jsonb_build_object('id', c->>'id', 'status', 'same');
        END IF;
        -- the deleter must have seen every field as it is now
        SELECT count(*) INTO conflicts FROM jsonb_each(c->'fields') e
         WHERE NOT hub.is_meta(e.key)
           AND hub.merge_decision(r.fields -> e.key, e.value -> 'base', NULL) = 'conflict';
        IF conflicts > 0 THEN
            INSERT INTO hub.conflict (tbl, row_key, field, base, hub_value, incoming,
                                      incoming_delete, change_id, raised_by, device, kept_by)
            VALUES (t, k, '*', (SELECT jsonb_object_agg(e.key, e.value -> 'base')
                                  FROM jsonb_each(c->'fields') e),
                    r.fields, NULL, true, c->>'id', session_user, p_device, r.changed_by);
            PERFORM hub.next_record(t, k, r.fields, false, false, true);
            RETURN jsonb_build_object('id', c->>'id', 'status', 'conflict', 'conflicts', 1);
        END IF;
        INSERT INTO hub.field_history (tbl, row_key, field, old_value, new_value, base,
                                       change_id, by_role, device)
        VALUES (t, k, '*', r.fields, NULL, (SELECT jsonb_object_agg(e.key, e.value -> 'base')
                                              FROM jsonb_each(c->'fields') e),
                c->>'id', session_user, p_device);
        PERFORM hub.next_record(t, k, r.fields, true, true, true);
        RETURN jsonb_build_object('id', c->>'id', 'status', 'applied');
    END IF;

    FOR f, fc IN SELECT * FROM jsonb_each(c->'fields') LOOP
        CONTINUE WHEN hub.is_meta(f);
        IF op = 'update' AND found_row AND r.deleted THEN
            -- an edit meeting a delete: never a silent resurrection or loss
            IF (r.fields -> f) IS NOT DISTINCT FROM (fc -> 'new') THEN
                same := same + 1;
                CONTINUE;
            END IF;
            INSERT INTO hub.conflict (tbl, row_key, field, base, hub_value, hub_deleted,
                                      incoming, change_id, raised_by, device, kept_by)
            VALUES (t, k, f, fc -> 'base', NULL, true, fc -> 'new', c->>'id', session_user,
                    p_device, r.changed_by);
            conflicts := conflicts + 1;
            CONTINUE;
        END IF;
        hub_value := CASE WHEN live THEN r.fields -> f END;
        decision := hub.merge_decision(hub_value, fc -> 'base', fc -> 'new');
        IF decision = 'same' THEN
            same := same + 1;
        ELSIF decision = 'apply' THEN
            fields := jsonb_set(fields, ARRAY[f], fc -> 'new');
            INSERT INTO hub.field_history (tbl, row_key, field, old_value, new_value, base,
                                           change_id, by_role, device)
            VALUES (t, k, f, hub_value, fc -> 'new', fc -> 'base', c->>'id', session_user,
                    p_device);
            applied := applied + 1;
        ELSE
            INSERT INTO hub.conflict (tbl, row_key, field, base, hub_value, incoming,
                                      change_id, raised_by, device, kept_by)
            VALUES (t, k, f, fc -> 'base', hub_value, fc -> 'new', c->>'id', session_user,
                    p_device, r.changed_by);
            conflicts := conflicts + 1;
        END IF;
    END LOOP;

    IF applied > 0 OR (op = 'insert' AND NOT live AND conflicts = 0) THEN
        FOR f, fc IN SELECT * FROM jsonb_each(c->'fields') LOOP
            IF hub.is_meta(f) AND fc ? 'new' THEN
                fields := jsonb_set(fields, ARRAY[f], fc -> 'new');
            END IF;
        END LOOP;
        IF op = 'insert' AND NOT live THEN  -- a new row, or one made again after a delete
            INSERT INTO hub.field_history (tbl, row_key, field, old_value, new_value, base,
                                           change_id, by_role, device)
            VALUES (t, k, '*', NULL, fields, NULL, c->>'id', session_user, p_device);
        END IF;
        PERFORM hub.next_record(t, k, fields, false, true, found_row);
    ELSIF found_row THEN
        -- nothing accepted: the record is sent again (with any new conflict), so the laptop
        -- that sent this change ends up holding the hub's values, who-saved-when included
        PERFORM hub.next_record(t, k, r.fields, r.deleted, false, true);
    END IF;
    RETURN jsonb_build_object('id', c->>'id',
        'status', CASE WHEN conflicts = 0 AND applied = 0 THEN 'same'
                       WHEN conflicts = 0 THEN 'applied'
                       WHEN applied = 0 THEN 'conflict' ELSE 'partial' END,
        'conflicts', conflicts);
END $$;

-- Push a batch of changes, in order. A change id already answered gets the same answer.
CREATE FUNCTION hub.sync_push(p_device text, p_protocol int, p_format int, p_changes jsonb)
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
        answer := hub.apply_change(p_device, c);
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

-- Records changed after the cursor, in hub order, each with its open conflicts.
CREATE FUNCTION hub.sync_pull(p_device text, p_protocol int, p_cursor bigint, p_limit int)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    page jsonb;
    last_seq bigint;
    n int;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'table', r.tbl, 'key', r.row_key, 'seq', r.seq, 'version', r.version,
               'deleted', r.deleted, 'fields', r.fields, 'changed_by', r.changed_by,
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

-- Audit entries from a laptop: appended once each, never changed.
CREATE FUNCTION hub.sync_push_audit(p_device text, p_protocol int, p_entries jsonb)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    INSERT INTO hub.audit_entry (device, local_seq, by_role, at, actor, action, record_type,
                                 record_id, detail, mac)
    SELECT p_device, (e->>'seq')::bigint, session_user, e->>'at', e->>'actor', e->>'action',
           e->>'record_type', e->>'record_id', coalesce(e->>'detail', ''), e->>'mac'
      FROM jsonb_array_elements(p_entries) e
    ON CONFLICT (device, local_seq) DO NOTHING;
    RETURN (SELECT coalesce(max(local_seq), 0) FROM hub.audit_entry WHERE device = p_device);
END $$;

-- A named person's choice on a conflict: keep the hub's value, or take the incoming one.
CREATE FUNCTION hub.resolve_conflict(p_device text, p_protocol int, p_conflict bigint,
                                     p_choice text, p_note text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    x hub.conflict%ROWTYPE;
    r hub.record%ROWTYPE;
    fields jsonb;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    IF p_choice IS NULL OR p_choice NOT IN ('keep', 'take') THEN
        RAISE EXCEPTION 'choose keep or take' USING ERRCODE = 'AH003';
    END IF;
    PERFORM 1 FROM hub.push_lock WHERE id = 1 FOR UPDATE;
    SELECT * INTO x FROM hub.conflict WHERE id = p_conflict FOR UPDATE;
    IF NOT FOUND OR x.status <> 'open' THEN
        RAISE EXCEPTION 'that conflict has already been decided' USING ERRCODE = 'AH004';
    END IF;
    SELECT * INTO r FROM hub.record WHERE tbl = x.tbl AND row_key = x.row_key FOR UPDATE;
    IF p_choice = 'take' THEN
        IF x.incoming_delete THEN
            INSERT INTO hub.field_history (tbl, row_key, field, old_value, new_value, base,
                                           conflict, by_role, device)
            VALUES (x.tbl, x.row_key, '*', r.fields, NULL, r.fields, x.id, session_user,
                    p_device);
            PERFORM hub.next_record(x.tbl, x.row_key, r.fields, true, true, true);
        ELSE
            fields := jsonb_set(r.fields, ARRAY[x.field], x.incoming);
            INSERT INTO hub.field_history (tbl, row_key, field, old_value, new_value, base,
                                           conflict, by_role, device)
            VALUES (x.tbl, x.row_key, x.field,
                    CASE WHEN r.deleted THEN NULL ELSE r.fields -> x.field END, x.incoming,
                    CASE WHEN r.deleted THEN NULL ELSE r.fields -> x.field END, x.id,
                    session_user, p_device);
            PERFORM hub.next_record(x.tbl, x.row_key, fields, false, true, true);
        END IF;
    ELSE
        PERFORM hub.next_record(x.tbl, x.row_key, r.fields, r.deleted, false, true);
    END IF;
    UPDATE hub.conflict SET status = 'resolved', choice = p_choice, resolved_by = session_user,
           resolved_at = now(), note = coalesce(p_note, '') WHERE id = x.id;
    INSERT INTO hub.audit_entry (device, local_seq, by_role, at, actor, action, record_type,
                                 record_id, detail, mac)
    VALUES ('hub:conflicts', x.id, session_user, now()::text, session_user, 'changed', x.tbl,
            x.row_key, format('conflict %s on %s decided: %s. %s', x.id, x.field,
                              CASE p_choice WHEN 'keep' THEN 'kept the hub value'
                                   ELSE 'took the incoming change' END, coalesce(p_note, '')),
            '');
    RETURN jsonb_build_object('id', x.id, 'choice', p_choice);
END $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA hub FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.hub_info(), hub.sync_push(text, int, int, jsonb),
    hub.sync_pull(text, int, bigint, int), hub.sync_push_audit(text, int, jsonb),
    hub.resolve_conflict(text, int, bigint, text, text) TO adviser_hub_user;
