-- Each laptop's own number, handed out by the hub once and never reused, so case references
-- made on different laptops cannot clash: a laptop that has joined numbers its new cases
-- SA<number>-<year>-<nnnn> (SA7-2026-0001), each laptop counting its own. References made
-- before a laptop joined keep their form; two of those that clash are held aside on the
-- laptop that pulls the second (sync_parked) and reported, never lost.

CREATE SEQUENCE hub.device_number_seq;
ALTER TABLE hub.device ADD COLUMN number int UNIQUE;

CREATE FUNCTION hub.device_number(p_device text, p_protocol int) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE
    n int;
BEGIN
    PERFORM hub.check_protocol(p_protocol);
    INSERT INTO hub.device (device, by_role) VALUES (p_device, session_user)
    ON CONFLICT (device) DO NOTHING;
    SELECT number INTO n FROM hub.device WHERE device = p_device FOR UPDATE;
    IF n IS NULL THEN
        n := nextval('hub.device_number_seq');
        UPDATE hub.device SET number = n WHERE device = p_device;
    END IF;
    RETURN n;
END $$;

REVOKE ALL ON FUNCTION hub.device_number(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.device_number(text, int) TO adviser_hub_user;
