-- A push of 1,000 changes spent about half of its time (and a retried push nearly all of it)
-- building its answer: `answers || jsonb_build_array(answer)` copies the whole array at each
-- change, so the cost grew with the square of the batch, all of it under the push lock that
-- every other laptop's push waits for. The answers are now gathered in a jsonb[] (appended
-- in place) and made one JSON array at the end. The merge rule itself is unchanged.
-- hub.erasure had no index on the record, and each update or delete pushed looks it up.

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
