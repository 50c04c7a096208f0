-- Working as a team in the app (issue 16): a clash settled with a value the person deciding
-- typed (neither of the two held), who changed a record and on which laptop, the service's
-- combined audit log read back, and the register's size for a new laptop's progress bar.
-- The last three only read: nothing a laptop sends through them changes the hub.

ALTER TABLE hub.conflict DROP CONSTRAINT conflict_choice_check;
ALTER TABLE hub.conflict ADD CONSTRAINT conflict_choice_check
    CHECK (choice IN ('keep', 'take', 'typed'));

-- The combined log in the order the hub received it (entries already held are numbered in
-- the order of their laptops' own numbering).
ALTER TABLE hub.audit_entry ADD COLUMN id bigserial;
CREATE UNIQUE INDEX audit_entry_by_id ON hub.audit_entry (id);

-- A named person's decision with a value of their own: the field takes *p_value* (already
-- checked on the laptop for what the field may hold), the record gets a new version that
-- every laptop pulls, and the decision goes into the history and the audit log. Only for a
-- clash between two values: a delete meeting an edit is settled by keeping or taking.
CREATE FUNCTION hub.resolve_conflict_value(p_device text, p_protocol int, p_conflict bigint,
                                           p_value jsonb, p_note text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    x hub.conflict%ROWTYPE;
    r hub.record%ROWTYPE;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    PERFORM 1 FROM hub.push_lock WHERE id = 1 FOR UPDATE;
    SELECT * INTO x FROM hub.conflict WHERE id = p_conflict FOR UPDATE;
    IF NOT FOUND OR x.status <> 'open' THEN
        RAISE EXCEPTION 'that conflict has already been decided' USING ERRCODE = 'AH004';
    END IF;
    SELECT * INTO r FROM hub.record WHERE tbl = x.tbl AND row_key = x.row_key FOR UPDATE;
    IF p_value IS NULL OR x.field = '*' OR x.hub_deleted OR x.incoming_delete OR r.deleted THEN
        RAISE EXCEPTION 'a typed value settles a clash of two values only'
            USING ERRCODE = 'AH005';
    END IF;
    INSERT INTO hub.field_history (tbl, row_key, field, old_value, new_value, base, conflict,
                                   by_role, device)
    VALUES (x.tbl, x.row_key, x.field, r.fields -> x.field, p_value, r.fields -> x.field,
            x.id, session_user, p_device);
    PERFORM hub.next_record(x.tbl, x.row_key, jsonb_set(r.fields, ARRAY[x.field], p_value),
                            false, true, true);
    UPDATE hub.conflict SET status = 'resolved', choice = 'typed', resolved_by = session_user,
           resolved_at = now(), note = coalesce(p_note, '') WHERE id = x.id;
    INSERT INTO hub.audit_entry (device, local_seq, by_role, at, actor, action, record_type,
                                 record_id, detail, mac)
    VALUES ('hub:conflicts', x.id, session_user, now()::text, session_user, 'changed', x.tbl,
            x.row_key, format('conflict %s on %s decided: a new value was typed. %s', x.id,
                              x.field, coalesce(p_note, '')), '');
    RETURN jsonb_build_object('id', x.id, 'choice', 'typed');
END $$;

-- Who changed each of these records and on which laptop: for each [table, key] asked, its
-- changes in order (one per change or decision, however many fields it touched), each with
-- the user, the laptop (its device id and the number the hub gave it) and when.
CREATE FUNCTION hub.record_changes(p_device text, p_protocol int, p_records jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'table', h.tbl, 'key', h.row_key, 'by', h.by_role, 'device', h.device,
                'number', d.number, 'at', h.at, 'decision', h.conflict IS NOT NULL)
                ORDER BY h.tbl, h.row_key, h.first_id), '[]'::jsonb)
              FROM (SELECT f.tbl, f.row_key, min(f.id) AS first_id, min(f.by_role) AS by_role,
                           min(f.device) AS device, min(f.at) AS at, min(f.conflict) AS conflict
                      FROM hub.field_history f
                      JOIN jsonb_array_elements(p_records) q
                        ON f.tbl = q ->> 0 AND f.row_key = q ->> 1
                     GROUP BY f.tbl, f.row_key,
                              coalesce(f.change_id, 'decision ' || f.conflict::text,
                                       'row ' || f.id::text)) h
              LEFT JOIN hub.device d ON d.device = h.device);
END $$;

-- The service's combined audit log, read only, newest first: entries numbered below
-- *p_before* (the hub's own numbering; 0 for the newest), with the laptop each came from.
CREATE FUNCTION hub.audit_read(p_device text, p_protocol int, p_before bigint, p_limit int)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    page jsonb;
    n int;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', a.id, 'at', a.at, 'actor', a.actor, 'by', a.by_role, 'action', a.action,
               'record_type', a.record_type, 'record_id', a.record_id, 'detail', a.detail,
               'device', a.device, 'number', d.number) ORDER BY a.id DESC), '[]'::jsonb),
           count(*)
      INTO page, n
      FROM (SELECT * FROM hub.audit_entry WHERE p_before <= 0 OR id < p_before
             ORDER BY id DESC LIMIT greatest(1, least(p_limit, 5000))) a
      LEFT JOIN hub.device d ON d.device = a.device;
    RETURN jsonb_build_object('entries', page, 'more', n >= greatest(1, least(p_limit, 5000)));
END $$;

-- How big the register is, for a new laptop's progress bar: the families the hub holds
-- (not deleted), and how many records a laptop whose pull cursor is *p_cursor* has to fetch.
CREATE FUNCTION hub.register_size(p_device text, p_protocol int, p_cursor bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    RETURN jsonb_build_object(
        'families', (SELECT count(*) FROM hub.record WHERE tbl = 'family' AND NOT deleted),
        'waiting', (SELECT count(*) FROM hub.record WHERE seq > p_cursor));
END $$;

REVOKE ALL ON FUNCTION hub.resolve_conflict_value(text, int, bigint, jsonb, text),
    hub.record_changes(text, int, jsonb), hub.audit_read(text, int, bigint, int),
    hub.register_size(text, int, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.resolve_conflict_value(text, int, bigint, jsonb, text),
    hub.record_changes(text, int, jsonb), hub.audit_read(text, int, bigint, int),
    hub.register_size(text, int, bigint) TO adviser_hub_user;
